<?php
// The SPBE table and the rules of the page, as plain functions (tests/
// spbe_test.php calls them): reading the CSV, the predikat bands, which row
// is the person's institution, and the claims mod_auth_openidc passes.
declare(strict_types=1);

const SPBE_HEADER = ['instansi', 'jenis', 'indeks_2023', 'predikat_2023', 'indeks_2021'];

// The bands of the SPBE evaluation, lowest index of each.
const SPBE_BANDS = [[4.2, 'Memuaskan'], [3.5, 'Sangat Baik'], [2.6, 'Baik'],
    [1.8, 'Cukup'], [0.0, 'Kurang']];

// Regency and city codes of the directory, and their rows.
const SPBE_REGIONS = [
    'badung' => 'Kabupaten Badung', 'bangli' => 'Kabupaten Bangli',
    'buleleng' => 'Kabupaten Buleleng', 'gianyar' => 'Kabupaten Gianyar',
    'jembrana' => 'Kabupaten Jembrana', 'karangasem' => 'Kabupaten Karangasem',
    'klungkung' => 'Kabupaten Klungkung', 'tabanan' => 'Kabupaten Tabanan',
    'denpasar' => 'Kota Denpasar',
];

function spbe_band(float $indeks): string
{
    foreach (SPBE_BANDS as [$min, $name]) {
        if ($indeks >= $min) {
            return $name;
        }
    }
    return 'Kurang';
}

// The rows, sorted by index (highest first). A malformed file, or a row
// whose predikat is not the band of its index, is an error: the table
// must not show a wrong grade.
function spbe_load(string $path): array
{
    $f = @fopen($path, 'r');
    if ($f === false) {
        throw new RuntimeException("cannot read $path");
    }
    if (fgetcsv($f, 0, ',', '"', '') !== SPBE_HEADER) {
        throw new RuntimeException("$path: the header must be " . implode(',', SPBE_HEADER));
    }
    $rows = [];
    $line = 1;
    while (($r = fgetcsv($f, 0, ',', '"', '')) !== false) {
        $line++;
        if (count($r) !== 5 || !preg_match('/^[0-5](\.\d{1,2})?$/', $r[2])) {
            throw new RuntimeException("$path:$line: malformed row");
        }
        $indeks = (float)$r[2];
        if ($indeks > 5.0 || spbe_band($indeks) !== $r[3]) {
            throw new RuntimeException("$path:$line: predikat $r[3] is not the band of $r[2]");
        }
        $rows[] = ['instansi' => $r[0], 'jenis' => $r[1], 'indeks' => $indeks,
            'predikat' => $r[3], 'indeks_2021' => $r[4] === '' ? null : (float)$r[4]];
    }
    fclose($f);
    usort($rows, fn ($a, $b) => $b['indeks'] <=> $a['indeks']);
    return $rows;
}

// The row of the person's institution (its instansi), or null: the
// province for its agencies, a regency or city by name or code, and the
// parent regency or city of a local agency or desa adat.
function spbe_highlight(?array $org, array $rows): ?string
{
    $names = array_column($rows, 'instansi');
    $kind = $org['kind'] ?? null;
    $pick = match ($kind) {
        'province', 'provincial_agency' => 'Pemerintah Provinsi Bali',
        'regency', 'city' => in_array($org['name'] ?? '', $names, true) ? $org['name']
            : (SPBE_REGIONS[$org['code'] ?? ''] ?? null),
        'local_agency', 'desa_adat' => SPBE_REGIONS[$org['parent'] ?? ''] ?? null,
        default => null,
    };
    return $pick !== null && in_array($pick, $names, true) ? $pick : null;
}

// The person, from the claims mod_auth_openidc sets for the request
// (OIDC_CLAIM_<name>; an object such as organisation arrives as JSON).
function spbe_person(array $server): ?array
{
    $c = fn (string $k) => isset($server["OIDC_CLAIM_$k"]) && $server["OIDC_CLAIM_$k"] !== ''
        ? (string)$server["OIDC_CLAIM_$k"] : null;
    if ($c('sub') === null) {
        return null;
    }
    $org = $c('organisation') !== null ? json_decode($c('organisation'), true) : null;
    return ['sub' => $c('sub'), 'name' => $c('name') ?? $c('preferred_username'),
        'username' => $c('preferred_username'), 'email' => $c('email'), 'nip' => $c('nip'),
        'job_title' => $c('job_title'), 'organisation' => is_array($org) ? $org : null];
}

function spbe_number(?float $v): string
{
    return $v === null ? '–' : number_format($v, 2, ',', '.');
}
