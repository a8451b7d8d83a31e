<?php
// Unit test of the portal's rules (app/spbe.php): the CSV, the bands, the
// highlighted row, the claims. Run: php tests/spbe_test.php (the unit
// suite does). Prints "N passed, 0 failed" and exits 1 on a failure.
declare(strict_types=1);
require __DIR__ . '/../app/spbe.php';

$passed = 0;
$failed = 0;
function check(bool $ok, string $what): void
{
    global $passed, $failed;
    if ($ok) {
        $passed++;
    } else {
        $failed++;
        fwrite(STDERR, "FAIL: $what\n");
    }
}
function csv(string $body): string
{
    $f = tempnam(sys_get_temp_dir(), 'spbe');
    file_put_contents($f, $body);
    return $f;
}
function refused(string $body, string $why): void
{
    try {
        spbe_load(csv($body));
        check(false, "$why is refused");
    } catch (RuntimeException $e) {
        check(true, $why);
    }
}

$rows = spbe_load(__DIR__ . '/../data/spbe-2023-bali.csv');
check(count($rows) === 10, 'the province and nine regencies and cities');
check($rows[0]['instansi'] === 'Pemerintah Provinsi Bali' && $rows[0]['indeks'] === 4.07,
    'sorted by index, highest first');
for ($i = 1; $i < count($rows); $i++) {
    check($rows[$i - 1]['indeks'] >= $rows[$i]['indeks'], "order at row $i");
}
foreach ([[4.2, 'Memuaskan'], [4.19, 'Sangat Baik'], [3.5, 'Sangat Baik'], [2.6, 'Baik'],
    [2.59, 'Cukup'], [1.8, 'Cukup'], [1.79, 'Kurang'], [0.0, 'Kurang']] as [$v, $band]) {
    check(spbe_band($v) === $band, "band of $v");
}
$head = "instansi,jenis,indeks_2023,predikat_2023,indeks_2021\n";
refused("nama,jenis\n", 'a wrong header');
refused($head . "Kota X,kota,3.80,Baik,\n", 'a predikat that is not the band');
refused($head . "Kota X,kota,5.10,Memuaskan,\n", 'an index above 5');
refused($head . "Kota X,kota,tiga,Baik,\n", 'an index that is no number');
refused($head . "Kota X,kota,3.8\n", 'a short row');
check(spbe_load(csv($head . "Kota \"Y\",kota,3.80,Sangat Baik,3.10\n"))[0]['indeks_2021'] === 3.1,
    'a 2021 index is read');

$org = fn ($code, $kind, $parent = null, $name = null) =>
    ['code' => $code, 'kind' => $kind, 'parent' => $parent, 'name' => $name ?? $code];
check(spbe_highlight($org('baliprov', 'province'), $rows) === 'Pemerintah Provinsi Bali', 'province');
check(spbe_highlight($org('baliprov.bpbd', 'provincial_agency', 'baliprov'), $rows)
    === 'Pemerintah Provinsi Bali', 'a provincial agency');
check(spbe_highlight($org('badung', 'regency', 'baliprov', 'Kabupaten Badung'), $rows)
    === 'Kabupaten Badung', 'a regency by name');
check(spbe_highlight($org('denpasar', 'city', 'baliprov', 'Pemkot'), $rows) === 'Kota Denpasar',
    'a city by code');
check(spbe_highlight($org('desaadat.kuta', 'desa_adat', 'badung'), $rows) === 'Kabupaten Badung',
    'a desa adat: its regency');
check(spbe_highlight($org('gianyar.dinkes', 'local_agency', 'gianyar'), $rows)
    === 'Kabupaten Gianyar', 'a local agency: its regency');
check(spbe_highlight($org('rs.sanglah', 'health_facility', 'denpasar'), $rows) === null,
    'a health facility: no row');
check(spbe_highlight($org('bpk', 'central_agency'), $rows) === null, 'a central agency: no row');
check(spbe_highlight(null, $rows) === null, 'no organisation claim');
check(spbe_highlight($org('desaadat.x', 'desa_adat', 'nusa'), $rows) === null, 'an unknown parent');

check(spbe_person([]) === null, 'no sub: signed out');
check(spbe_person(['HTTP_OIDC_CLAIM_SUB' => 'x']) === null, 'a header a browser sent is not a claim');
$p = spbe_person(['OIDC_CLAIM_sub' => 'u-1', 'OIDC_CLAIM_name' => 'I Made <b>',
    'OIDC_CLAIM_preferred_username' => 'imade',
    'OIDC_CLAIM_organisation' => '{"code":"badung","name":"Kabupaten Badung","kind":"regency"}']);
check($p['name'] === 'I Made <b>' && $p['organisation']['kind'] === 'regency', 'claims are read');
$q = spbe_person(['OIDC_CLAIM_sub' => 'u-2', 'OIDC_CLAIM_organisation' => '{not json']);
check($q['organisation'] === null, 'a broken organisation claim is none');
check(spbe_number(3.66) === '3,66' && spbe_number(null) === '–', 'numbers in Indonesian');

echo "$passed passed, $failed failed\n";
exit($failed === 0 ? 0 : 1);
