<?php
// Portal Evaluasi SPBE: the 2023 SPBE index of Bali's governments, with the
// signed-in person's institution highlighted. Apache's mod_auth_openidc
// does the whole of OpenID Connect (apache/portal.conf); this page only
// reads the claims it passes. Signed out, it offers the sign-in.
declare(strict_types=1);
require __DIR__ . '/spbe.php';

header("Content-Security-Policy: default-src 'none'; style-src 'self'; "
    . "form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
// No Referer anywhere, not even to the portal itself: nothing here needs one
// (Keluar included), and the SSO's pages send none either.
header('Referrer-Policy: no-referrer');
header('X-Content-Type-Options: nosniff');
header('Cache-Control: no-store');

function h(?string $s): string
{
    return htmlspecialchars($s ?? '', ENT_QUOTES | ENT_SUBSTITUTE, 'UTF-8');
}

try {
    $rows = spbe_load(__DIR__ . '/../data/spbe-2023-bali.csv');
} catch (RuntimeException $e) {
    error_log('spbe-portal: ' . $e->getMessage());
    http_response_code(500);
    echo "<!DOCTYPE html><html lang=\"id\"><head><meta charset=\"utf-8\"><title>Galat</title></head>"
        . "<body><main><h1>Data SPBE tidak dapat dibaca</h1></main></body></html>";
    exit;
}
$me = spbe_person($_SERVER);
$mine = $me ? spbe_highlight($me['organisation'], $rows) : null;
// mod_auth_openidc signs out at its redirect URI (RP-initiated logout at
// the provider, then back here).
$home = 'http://' . $_SERVER['HTTP_HOST'] . '/';
$logout = '/callback?logout=' . rawurlencode($home);
?>
<!DOCTYPE html>
<html lang="id">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Portal Evaluasi SPBE</title>
<link rel="stylesheet" href="/style.css">
</head>
<body>
<header><p class="brand">Portal Evaluasi SPBE Provinsi Bali</p></header>
<main>
<h1>Indeks SPBE 2023</h1>
<?php if ($me === null): ?>
<p>Portal ini menampilkan indeks Sistem Pemerintahan Berbasis Elektronik (SPBE) 2023
Provinsi Bali dan kabupaten/kota. Masuk untuk melihat baris instansi Anda.</p>
<p><a class="button" href="/masuk/">Masuk dengan SSO Provinsi Bali</a></p>
<?php else: ?>
<section aria-labelledby="anda">
<h2 id="anda">Selamat datang, <?= h($me['name']) ?></h2>
<dl>
<div><dt>Nama pengguna</dt><dd><?= h($me['username']) ?></dd></div>
<?php if ($me['email']): ?><div><dt>Email</dt><dd><?= h($me['email']) ?></dd></div><?php endif ?>
<?php if ($me['nip']): ?><div><dt>NIP</dt><dd><?= h($me['nip']) ?></dd></div><?php endif ?>
<?php if ($me['job_title']): ?><div><dt>Jabatan</dt><dd><?= h($me['job_title']) ?></dd></div><?php endif ?>
<div><dt>Instansi</dt><dd><?= h($me['organisation']['name'] ?? 'Tidak tercatat') ?></dd></div>
</dl>
<?php if ($mine === null): ?>
<p class="note">Instansi Anda tidak ada dalam tabel SPBE 2023.</p>
<?php endif ?>
<p><a class="button secondary" href="<?= h($logout) ?>">Keluar</a></p>
</section>
<?php endif ?>
<div class="table" role="region" tabindex="0" aria-labelledby="cap">
<table>
<caption id="cap">Indeks SPBE 2023 Provinsi Bali dan kabupaten/kota, dari yang tertinggi</caption>
<thead><tr><th scope="col">Instansi</th><th scope="col">Indeks 2023</th>
<th scope="col">Predikat</th><th scope="col">Indeks 2021</th></tr></thead>
<tbody>
<?php foreach ($rows as $r): $yours = $r['instansi'] === $mine; ?>
<tr<?= $yours ? ' class="yours"' : '' ?>><th scope="row"><?= h($r['instansi']) ?><?= $yours
    ? ' <strong class="tag">Instansi Anda</strong>' : '' ?></th>
<td><?= spbe_number($r['indeks']) ?></td><td><?= h($r['predikat']) ?></td>
<td><?= spbe_number($r['indeks_2021']) ?></td></tr>
<?php endforeach ?>
</tbody>
</table>
</div>
<p class="note">Predikat: ≥ 4,2 Memuaskan · ≥ 3,5 Sangat Baik · ≥ 2,6 Baik · ≥ 1,8 Cukup · di bawahnya Kurang.</p>
</main>
</body>
</html>
