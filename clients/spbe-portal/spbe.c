#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spbe.h"

#define SPBE_HEADER	"instansi,jenis,indeks_2023,predikat_2023,indeks_2021"
#define SPBE_FIELDS	5

/* Bands of the SPBE evaluation (seed README), in hundredths. */
static const struct {
	int		 min;
	const char	*name;
} bands[] = {
	{ 420, "Memuaskan" },
	{ 350, "Sangat Baik" },
	{ 260, "Baik" },
	{ 180, "Cukup" },
	{ 0, "Kurang" },
};

const char *
spbe_band(int indeks)
{
	size_t i;

	for (i = 0; i < sizeof(bands) / sizeof(bands[0]) - 1; i++)
		if (indeks >= bands[i].min)
			return bands[i].name;
	return bands[i].name;
}

/* "4", "4.0" or "4.07" between 0 and 5, in hundredths; -1 if malformed. */
static int
parse_indeks(const char *s)
{
	int v;

	if (s[0] < '0' || s[0] > '5')
		return -1;
	v = (s[0] - '0') * 100;
	if (s[1] == '\0')
		return v;
	if (s[1] != '.' || s[2] < '0' || s[2] > '9')
		return -1;
	v += (s[2] - '0') * 10;
	if (s[3] != '\0' && (s[3] < '0' || s[3] > '9' || s[4] != '\0'))
		return -1;
	if (s[3] != '\0')
		v += s[3] - '0';
	return v <= 500 ? v : -1;
}

static int
copy_field(char *dst, size_t dstlen, const char *src)
{
	size_t n = strlen(src);

	if (n == 0 || n >= dstlen)
		return -1;
	memcpy(dst, src, n + 1);
	return 0;
}

/* Fills row from the five fields of one line. Returns a reason or NULL. */
static const char *
parse_row(char **f, struct spbe_row *row)
{
	if (copy_field(row->sr_instansi, sizeof(row->sr_instansi), f[0]) != 0)
		return "instansi empty or too long";
	if (strcmp(f[1], "provinsi") != 0 && strcmp(f[1], "kabupaten") != 0 &&
	    strcmp(f[1], "kota") != 0)
		return "jenis is not provinsi, kabupaten or kota";
	if (copy_field(row->sr_jenis, sizeof(row->sr_jenis), f[1]) != 0)
		return "jenis too long";
	if ((row->sr_indeks = parse_indeks(f[2])) < 0)
		return "indeks_2023 is not a number from 0 to 5";
	if (copy_field(row->sr_predikat, sizeof(row->sr_predikat), f[3]) != 0)
		return "predikat_2023 empty or too long";
	/* The table shows both; they must tell the same story. */
	if (strcmp(row->sr_predikat, spbe_band(row->sr_indeks)) != 0)
		return "predikat_2023 does not match the band of indeks_2023";
	row->sr_indeks_2021 = -1;
	if (f[4][0] != '\0' && (row->sr_indeks_2021 = parse_indeks(f[4])) < 0)
		return "indeks_2021 is not a number from 0 to 5";
	return NULL;
}

/* Splits line at commas into exactly SPBE_FIELDS fields, in place. */
static int
split(char *line, char **f)
{
	size_t n = 0;
	char *p = line;

	for (;;) {
		if (n == SPBE_FIELDS)
			return -1;
		f[n++] = p;
		if ((p = strchr(p, ',')) == NULL)
			break;
		*p++ = '\0';
	}
	return n == SPBE_FIELDS ? 0 : -1;
}

static int
row_cmp(const void *a, const void *b)
{
	const struct spbe_row *x = a, *y = b;

	if (x->sr_indeks != y->sr_indeks)
		return x->sr_indeks > y->sr_indeks ? -1 : 1;
	return strcmp(x->sr_instansi, y->sr_instansi);
}

int
spbe_parse(const char *text, size_t len, struct spbe_table *t, char *err,
    size_t errlen)
{
	char *copy = NULL, *line, *next, *f[SPBE_FIELDS];
	const char *why = NULL;
	size_t i, j, lineno = 0;
	int rc = -1;

	memset(t, 0, sizeof(*t));
	if (len > SPBE_MAX_FILE || memchr(text, '\0', len) != NULL) {
		snprintf(err, errlen, "not a small text file");
		return -1;
	}
	if ((copy = malloc(len + 1)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	memcpy(copy, text, len);
	copy[len] = '\0';
	line = copy;
	if (strncmp(line, "\xEF\xBB\xBF", 3) == 0)	/* UTF-8 BOM */
		line += 3;
	for (; line != NULL && *line != '\0'; line = next) {
		lineno++;
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if (*line != '\0' && line[strlen(line) - 1] == '\r')
			line[strlen(line) - 1] = '\0';
		if (lineno == 1) {
			if (strcmp(line, SPBE_HEADER) != 0)
				why = "header is not " SPBE_HEADER;
		} else if (*line == '\0')
			continue;
		else if (strchr(line, '"') != NULL)
			why = "quoted fields are not supported";
		else if (split(line, f) != 0)
			why = "line does not have 5 fields";
		else if (t->st_n == SPBE_MAX_ROWS)
			why = "too many rows";
		else
			why = parse_row(f, &t->st_rows[t->st_n++]);
		if (why != NULL) {
			snprintf(err, errlen, "line %zu: %s", lineno, why);
			goto out;
		}
	}
	if (t->st_n == 0) {
		snprintf(err, errlen, "no rows");
		goto out;
	}
	for (i = 0; i < t->st_n; i++)
		for (j = 0; j < i; j++)
			if (strcmp(t->st_rows[i].sr_instansi,
			    t->st_rows[j].sr_instansi) == 0) {
				snprintf(err, errlen, "%s appears twice",
				    t->st_rows[i].sr_instansi);
				goto out;
			}
	qsort(t->st_rows, t->st_n, sizeof(t->st_rows[0]), row_cmp);
	for (i = 0; i < t->st_n; i++)
		t->st_rows[i].sr_rank = i > 0 && t->st_rows[i].sr_indeks ==
		    t->st_rows[i - 1].sr_indeks ? t->st_rows[i - 1].sr_rank :
		    (int)i + 1;
	rc = 0;
out:
	free(copy);
	if (rc != 0)
		memset(t, 0, sizeof(*t));
	return rc;
}

int
spbe_load(const char *path, struct spbe_table *t, char *err, size_t errlen)
{
	char *text;
	size_t n;
	FILE *fp;
	int rc;

	if ((fp = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if ((text = malloc(SPBE_MAX_FILE + 1)) == NULL) {
		fclose(fp);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	n = fread(text, 1, SPBE_MAX_FILE + 1, fp);
	if (ferror(fp) || n > SPBE_MAX_FILE) {
		snprintf(err, errlen, "%s: unreadable or larger than %d bytes",
		    path, SPBE_MAX_FILE);
		rc = -1;
	} else
		rc = spbe_parse(text, n, t, err, errlen);
	fclose(fp);
	free(text);
	return rc;
}

static int
find_row(const struct spbe_table *t, const char *instansi)
{
	size_t i;

	if (instansi == NULL)
		return -1;
	for (i = 0; i < t->st_n; i++)
		if (strcmp(t->st_rows[i].sr_instansi, instansi) == 0)
			return (int)i;
	return -1;
}

/* The row name of a regency or city, from its organisation code. */
static const char *
seat_row(const char *code)
{
	static const struct {
		const char	*code;
		const char	*row;
	} seats[] = {
		{ "badung", "Kabupaten Badung" },
		{ "bangli", "Kabupaten Bangli" },
		{ "buleleng", "Kabupaten Buleleng" },
		{ "gianyar", "Kabupaten Gianyar" },
		{ "jembrana", "Kabupaten Jembrana" },
		{ "karangasem", "Kabupaten Karangasem" },
		{ "klungkung", "Kabupaten Klungkung" },
		{ "tabanan", "Kabupaten Tabanan" },
		{ "denpasar", "Kota Denpasar" },
	};
	size_t i;

	if (code == NULL)
		return NULL;
	for (i = 0; i < sizeof(seats) / sizeof(seats[0]); i++)
		if (strcmp(seats[i].code, code) == 0)
			return seats[i].row;
	return NULL;
}

int
spbe_match(const struct spbe_table *t, const struct spbe_org *o)
{
	const char *k = o->so_kind;
	int row;

	if (k == NULL)
		return -1;
	/* The province and its agencies (OPD) share the province's index. */
	if (strcmp(k, "province") == 0 || strcmp(k, "provincial_agency") == 0)
		return find_row(t, SPBE_PROVINCE_ROW);
	/* A regency or city is its own row: by name, else by code. */
	if (strcmp(k, "regency") == 0 || strcmp(k, "city") == 0) {
		if ((row = find_row(t, o->so_name)) >= 0)
			return row;
		return find_row(t, seat_row(o->so_code));
	}
	/* Agencies of a regency or city, and desa adat: their parent's row. */
	if (strcmp(k, "local_agency") == 0 || strcmp(k, "desa_adat") == 0)
		return find_row(t, seat_row(o->so_parent));
	/* Health facilities and central agencies were not evaluated here. */
	return -1;
}
