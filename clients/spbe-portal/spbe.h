/*
 * The 2023 SPBE index table: the province and its nine regencies and
 * cities, read from a small CSV file, and which row belongs to the
 * organisation of the person signed in.
 */
#ifndef SPBE_PORTAL_SPBE_H
#define SPBE_PORTAL_SPBE_H

#include <stddef.h>

#define SPBE_MAX_ROWS		64
#define SPBE_MAX_FILE		65536
#define SPBE_PROVINCE_ROW	"Pemerintah Provinsi Bali"

/* An index is kept in hundredths (4.07 is 407): exact band comparisons. */
struct spbe_row {
	char	sr_instansi[96];
	char	sr_jenis[16];		/* provinsi, kabupaten, kota */
	int	sr_indeks;		/* 2023 */
	char	sr_predikat[24];	/* 2023, as published */
	int	sr_indeks_2021;		/* -1: not in the source */
	int	sr_rank;		/* 1-based; equal indices share it */
};

struct spbe_table {
	struct spbe_row	st_rows[SPBE_MAX_ROWS];
	size_t		st_n;
};

/*
 * Parses the CSV (header instansi,jenis,indeks_2023,predikat_2023,
 * indeks_2021), checks each predikat agrees with its index band, and sorts
 * the rows by index, highest first. Returns 0, or -1 with the line and
 * reason in err.
 */
int	 spbe_parse(const char *text, size_t len, struct spbe_table *,
	    char *err, size_t errlen) __attribute__((warn_unused_result));
/* Reads and parses the file at path. */
int	 spbe_load(const char *path, struct spbe_table *, char *err,
	    size_t errlen) __attribute__((warn_unused_result));

/* The predikat of an index in hundredths (bands of the evaluation). */
const char	*spbe_band(int indeks);

/* The organisation claim's members (any may be NULL). */
struct spbe_org {
	const char	*so_kind;
	const char	*so_code;
	const char	*so_name;
	const char	*so_parent;
};

/* The row of the organisation's institution, or -1 if it has none. */
int	 spbe_match(const struct spbe_table *, const struct spbe_org *);

#endif
