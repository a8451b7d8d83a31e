#!/usr/bin/env node
// Deterministic directory of the benchmark: the organisations of the
// Province of Bali and 33,000 people spread over them, as the two CSV files
// `idpctl org import` and `idpctl user import` read.
//
//   node bench/gen_directory.mjs --out DIR --hashes FILE [--users N] [--seed S]
//
// FILE holds K lines "password<TAB>argon2id-PHC-string" (bench/run.sh makes
// them with bench/argon2_tool at the configured cost). Person i gets password
// number i mod K and its precomputed hash: hashing 33,000 passwords at the
// production cost would take minutes, and the cost of a login does not depend
// on which password a person has. Writes:
//   DIR/organisations.csv  code,name,kind,parent_code
//   DIR/users.csv          username,password_hash,name,email,phone_number,
//                          nip,job_title,org_code (idpctl reads the columns
//                          by the header's names; the hashes go to the
//                          credentials table, the NIPs are 18 digits and
//                          unique, as the directory requires)
//   DIR/credentials.tsv    username<TAB>password, for the login workloads
// The same seed and hashes give byte-identical files.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => {
  if (a.startsWith('--')) acc.push([a.slice(2), all[i + 1]]);
  return acc;
}, []));
if (!args.out || !args.hashes) {
  console.error('usage: gen_directory.mjs --out DIR --hashes FILE [--users N] [--seed S]');
  process.exit(2);
}
const TOTAL = Number(args.users ?? 33000);
const SEED = Number(args.seed ?? 20240517);

// mulberry32: a small seeded PRNG, identical on every machine.
let state = SEED >>> 0;
function rand() {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (a) => a[Math.floor(rand() * a.length)];
const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
const slug = (s) => s.toLowerCase().normalize('NFD').replace(/[^a-z0-9]+/g, '-')
  .replace(/^-|-$/g, '');

// ---- Organisations ---------------------------------------------------------

const orgs = []; // { code, name, kind, parent, weight, domain, role }
function org(code, name, kind, parent, weight, domain, role = 'office') {
  if (!/^[a-z0-9][a-z0-9._-]{0,62}$/.test(code)) throw new Error(`bad code ${code}`);
  orgs.push({ code, name, kind, parent, weight, domain, role });
  return code;
}

const PROV = org('baliprov', 'Pemerintah Provinsi Bali', 'province', null, 2, 'baliprov.go.id');

const provincialAgencies = [
  ['setda', 'Sekretariat Daerah Provinsi Bali', 420],
  ['setwan', 'Sekretariat DPRD Provinsi Bali', 140],
  ['inspektorat', 'Inspektorat Provinsi Bali', 110],
  ['bappeda', 'Badan Perencanaan Pembangunan Daerah Provinsi Bali', 120],
  ['bpkad', 'Badan Pengelolaan Keuangan dan Aset Daerah Provinsi Bali', 150],
  ['bapenda', 'Badan Pendapatan Daerah Provinsi Bali', 380],
  ['bkpsdm', 'Badan Kepegawaian dan Pengembangan Sumber Daya Manusia Provinsi Bali', 110],
  ['brida', 'Badan Riset dan Inovasi Daerah Provinsi Bali', 60],
  ['bpbd', 'Badan Penanggulangan Bencana Daerah Provinsi Bali', 90],
  ['kesbangpol', 'Badan Kesatuan Bangsa dan Politik Provinsi Bali', 60],
  ['disdikpora', 'Dinas Pendidikan, Kepemudaan dan Olahraga Provinsi Bali', 2100],
  ['diskes', 'Dinas Kesehatan Provinsi Bali', 160],
  ['pupr', 'Dinas Pekerjaan Umum, Penataan Ruang, Perumahan dan Kawasan Permukiman Provinsi Bali', 260],
  ['dinsos', 'Dinas Sosial, Pemberdayaan Perempuan dan Perlindungan Anak Provinsi Bali', 130],
  ['disnaker', 'Dinas Tenaga Kerja dan Energi Sumber Daya Mineral Provinsi Bali', 120],
  ['diskominfos', 'Dinas Komunikasi, Informatika dan Statistik Provinsi Bali', 110],
  ['dishub', 'Dinas Perhubungan Provinsi Bali', 170],
  ['diskop', 'Dinas Koperasi, Usaha Kecil dan Menengah Provinsi Bali', 80],
  ['dpmptsp', 'Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Provinsi Bali', 90],
  ['disbud', 'Dinas Kebudayaan Provinsi Bali', 140],
  ['pma', 'Dinas Pemajuan Masyarakat Adat Provinsi Bali', 70],
  ['dispar', 'Dinas Pariwisata Provinsi Bali', 90],
  ['distan', 'Dinas Pertanian dan Ketahanan Pangan Provinsi Bali', 240],
  ['dkp', 'Dinas Kelautan dan Perikanan Provinsi Bali', 120],
  ['dklh', 'Dinas Kehutanan dan Lingkungan Hidup Provinsi Bali', 230],
  ['disperindag', 'Dinas Perindustrian dan Perdagangan Provinsi Bali', 100],
  ['satpolpp', 'Satuan Polisi Pamong Praja Provinsi Bali', 230],
];
for (const [c, n, w] of provincialAgencies) {
  org(`baliprov.${c}`, n, 'provincial_agency', PROV, w, 'baliprov.go.id',
    c === 'disdikpora' ? 'school' : c === 'diskes' ? 'healthoffice' : 'office');
}
for (const [c, n, w] of [
  ['rsud-bali-mandara', 'RSUD Bali Mandara', 520],
  ['rsj', 'Rumah Sakit Jiwa Provinsi Bali', 330],
  ['rs-mata', 'Rumah Sakit Mata Bali Mandara', 210],
]) org(`baliprov.${c}`, n, 'health_facility', PROV, w, 'baliprov.go.id', 'health');

// The eight regencies and the city, with their districts (kecamatan) and
// the number of desa adat in each (Majelis Desa Adat, 1,493 in all).
const regencies = [
  { c: 'badung', n: 'Kabupaten Badung', kind: 'regency', d: 'badungkab.go.id', adat: 122,
    rs: 'RSUD Mangusada',
    kec: ['Kuta', 'Kuta Selatan', 'Kuta Utara', 'Mengwi', 'Abiansemal', 'Petang'],
    stems: ['Kuta', 'Legian', 'Seminyak', 'Kerobokan', 'Canggu', 'Tibubeneng', 'Jimbaran',
      'Kedonganan', 'Tuban', 'Pecatu', 'Ungasan', 'Kutuh', 'Peminge', 'Bualu', 'Sawangan',
      'Mengwi', 'Kapal', 'Abianbase', 'Sempidi', 'Lukluk', 'Sading', 'Penarungan', 'Sangeh',
      'Blahkiuh', 'Petang', 'Pelaga', 'Carangsari', 'Munggu', 'Cemagi', 'Dalung'] },
  { c: 'bangli', n: 'Kabupaten Bangli', kind: 'regency', d: 'banglikab.go.id', adat: 168,
    rs: 'RSUD Bangli',
    kec: ['Bangli', 'Susut', 'Tembuku', 'Kintamani'],
    stems: ['Bangli', 'Kubu', 'Cempaga', 'Kawan', 'Bebalang', 'Kintamani', 'Batur', 'Songan',
      'Trunyan', 'Penglipuran', 'Susut', 'Tembuku', 'Undisan', 'Penida', 'Sekardadi', 'Kedisan',
      'Abang Batudinding', 'Pinggan', 'Belantih', 'Catur', 'Bayung Gede', 'Sukawana', 'Tiga',
      'Demulih', 'Apuan', 'Peninjoan', 'Yangapi', 'Jehem', 'Bunutin', 'Tamanbali'] },
  { c: 'buleleng', n: 'Kabupaten Buleleng', kind: 'regency', d: 'bulelengkab.go.id', adat: 170,
    rs: 'RSUD Kabupaten Buleleng',
    kec: ['Buleleng', 'Sukasada', 'Sawan', 'Kubutambahan', 'Tejakula', 'Seririt', 'Busungbiu',
      'Banjar', 'Gerokgak'],
    stems: ['Buleleng', 'Banyuning', 'Kalibukbuk', 'Sangsit', 'Jagaraga', 'Sawan', 'Sudaji',
      'Kubutambahan', 'Bulian', 'Tejakula', 'Sembiran', 'Julah', 'Sidatapa', 'Tigawasa',
      'Pedawa', 'Seririt', 'Pengastulan', 'Busungbiu', 'Banjar', 'Munduk', 'Gobleg',
      'Gerokgak', 'Pemuteran', 'Pejarakan', 'Sukasada', 'Gitgit', 'Pancasari', 'Wanagiri',
      'Panji', 'Bengkala'] },
  { c: 'gianyar', n: 'Kabupaten Gianyar', kind: 'regency', d: 'gianyarkab.go.id', adat: 273,
    rs: 'RSUD Sanjiwani',
    kec: ['Gianyar', 'Blahbatuh', 'Sukawati', 'Ubud', 'Tegallalang', 'Tampaksiring', 'Payangan'],
    stems: ['Gianyar', 'Sukawati', 'Batuan', 'Celuk', 'Mas', 'Peliatan', 'Ubud', 'Tegallalang',
      'Pejeng', 'Bedulu', 'Tampaksiring', 'Manukaya', 'Payangan', 'Kelusa', 'Blahbatuh', 'Bona',
      'Keramas', 'Medahan', 'Lebih', 'Tulikup', 'Sayan', 'Kedewatan', 'Singakerta', 'Lodtunduh',
      'Guwang', 'Ketewel', 'Saba', 'Pering', 'Bitera', 'Siangan', 'Taro', 'Kenderan'] },
  { c: 'jembrana', n: 'Kabupaten Jembrana', kind: 'regency', d: 'jembranakab.go.id', adat: 64,
    rs: 'RSUD Negara',
    kec: ['Negara', 'Jembrana', 'Mendoyo', 'Pekutatan', 'Melaya'],
    stems: ['Negara', 'Baler Bale Agung', 'Loloan', 'Mendoyo', 'Yeh Embang', 'Pekutatan',
      'Medewi', 'Melaya', 'Gilimanuk', 'Candikusuma', 'Tegalcangkring', 'Penyaringan',
      'Yehsumbul', 'Pergung', 'Dangin Tukadaya', 'Air Kuning', 'Batuagung', 'Dauhwaru'] },
  { c: 'karangasem', n: 'Kabupaten Karangasem', kind: 'regency', d: 'karangasemkab.go.id',
    adat: 190, rs: 'RSUD Karangasem',
    kec: ['Karangasem', 'Abang', 'Bebandem', 'Rendang', 'Selat', 'Sidemen', 'Manggis', 'Kubu'],
    stems: ['Karangasem', 'Tenganan', 'Bugbug', 'Seraya', 'Padangbai', 'Manggis', 'Sidemen',
      'Selat', 'Muncan', 'Rendang', 'Besakih', 'Menanga', 'Abang', 'Culik', 'Tulamben', 'Kubu',
      'Tianyar', 'Bebandem', 'Jungutan', 'Timbrah', 'Asak', 'Perasi', 'Ngis', 'Antiga',
      'Ulakan', 'Nongan', 'Pesaban', 'Duda', 'Sibetan', 'Datah'] },
  { c: 'klungkung', n: 'Kabupaten Klungkung', kind: 'regency', d: 'klungkungkab.go.id',
    adat: 120, rs: 'RSUD Klungkung',
    kec: ['Klungkung', 'Banjarangkan', 'Dawan', 'Nusa Penida'],
    stems: ['Klungkung', 'Gelgel', 'Kamasan', 'Tojan', 'Banjarangkan', 'Takmung', 'Dawan',
      'Kusamba', 'Pesinggahan', 'Ped', 'Sakti', 'Batununggul', 'Lembongan', 'Ceningan',
      'Satra', 'Akah', 'Tangkas', 'Aan', 'Nyalian', 'Tusan', 'Paksebali', 'Sampalan',
      'Toyapakeh', 'Suana', 'Sekartaji'] },
  { c: 'tabanan', n: 'Kabupaten Tabanan', kind: 'regency', d: 'tabanankab.go.id', adat: 351,
    rs: 'RSUD Tabanan',
    kec: ['Tabanan', 'Kediri', 'Marga', 'Penebel', 'Baturiti', 'Kerambitan', 'Selemadeg',
      'Selemadeg Barat', 'Selemadeg Timur', 'Pupuan'],
    stems: ['Tabanan', 'Dauh Peken', 'Delod Peken', 'Kediri', 'Beraban', 'Pandak', 'Nyitdah',
      'Marga', 'Kukuh', 'Penebel', 'Jatiluwih', 'Wongaya', 'Baturiti', 'Bedugul',
      'Candikuning', 'Kerambitan', 'Tista', 'Selemadeg', 'Bajera', 'Antosari', 'Pupuan',
      'Belimbing', 'Sudimara', 'Gubug', 'Buahan', 'Senganan', 'Tengkudak', 'Apuan',
      'Pejaten', 'Timpag', 'Meliling', 'Belayu', 'Perean', 'Luwus', 'Batungsel'] },
  { c: 'denpasar', n: 'Kota Denpasar', kind: 'city', d: 'denpasarkota.go.id', adat: 35,
    rs: 'RSUD Wangaya',
    kec: ['Denpasar Barat', 'Denpasar Timur', 'Denpasar Selatan', 'Denpasar Utara'],
    stems: ['Denpasar', 'Sanur', 'Intaran', 'Serangan', 'Sesetan', 'Pedungan', 'Panjer',
      'Renon', 'Kesiman', 'Penatih', 'Peguyangan', 'Ubung', 'Padangsambian', 'Pemecutan',
      'Tegal', 'Sidakarya', 'Kepaon', 'Tonja', 'Sumerta', 'Kedonganan Kaja'] },
];
const localAgencies = [
  ['setda', 'Sekretariat Daerah', 260], ['setwan', 'Sekretariat DPRD', 70],
  ['inspektorat', 'Inspektorat', 60], ['bappeda', 'Badan Perencanaan Pembangunan Daerah', 60],
  ['bpkad', 'Badan Keuangan dan Aset Daerah', 90], ['bapenda', 'Badan Pendapatan Daerah', 110],
  ['bkpsdm', 'Badan Kepegawaian dan Pengembangan Sumber Daya Manusia', 60],
  ['disdikpora', 'Dinas Pendidikan, Kepemudaan dan Olahraga', 780],
  ['diskes', 'Dinas Kesehatan', 110], ['pupr', 'Dinas Pekerjaan Umum dan Penataan Ruang', 140],
  ['perkim', 'Dinas Perumahan Rakyat dan Kawasan Permukiman', 60],
  ['dinsos', 'Dinas Sosial', 60], ['disdukcapil', 'Dinas Kependudukan dan Pencatatan Sipil', 80],
  ['dishub', 'Dinas Perhubungan', 90], ['diskominfo', 'Dinas Komunikasi dan Informatika', 60],
  ['diskopukm', 'Dinas Koperasi, UKM dan Perdagangan', 60],
  ['dpmptsp', 'Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu', 50],
  ['disbud', 'Dinas Kebudayaan', 50], ['dispar', 'Dinas Pariwisata', 60],
  ['distan', 'Dinas Pertanian', 140], ['dlhk', 'Dinas Lingkungan Hidup dan Kebersihan', 210],
  ['disnaker', 'Dinas Tenaga Kerja', 45], ['satpolpp', 'Satuan Polisi Pamong Praja', 150],
  ['bpbd', 'Badan Penanggulangan Bencana Daerah', 60],
  ['kesbangpol', 'Badan Kesatuan Bangsa dan Politik', 35],
  ['disperpusip', 'Dinas Perpustakaan dan Kearsipan', 40],
  ['dp3a', 'Dinas Pemberdayaan Perempuan dan Perlindungan Anak', 40],
];

// Words that recur in Balinese village names, for desa adat beyond the stems.
const genericStems = ['Tegal', 'Bukit', 'Yeh', 'Batu', 'Bingin', 'Bunut', 'Jati', 'Taman',
  'Sari', 'Banjar', 'Abian', 'Pangkung', 'Tukad', 'Belong', 'Sema', 'Pempatan', 'Kayu',
  'Tamblang', 'Puseh', 'Umah', 'Uma', 'Padang', 'Carik', 'Telaga', 'Sengkidu', 'Bungaya',
  'Pura', 'Dangin', 'Dauh', 'Delod'];
const secondWords = ['', '', '', ' Sari', ' Asri', ' Gede', ' Anyar', ' Tengah', ' Kawan',
  ' Tegeh', ' Langon', ' Kelod Kauh'];
const directions = ['', '', ' Kaja', ' Kelod', ' Kangin', ' Kauh'];

const ADAT_PER = 2; // bendesa adat and penyarikan
const regencyOrgs = [];
for (const r of regencies) {
  const R = org(r.c, r.n, r.kind, PROV, 3, r.d);
  regencyOrgs.push({ r, code: R });
  for (const [c, n, w] of localAgencies) {
    const suffix = r.kind === 'city' ? 'Kota Denpasar' : r.n;
    org(`${r.c}.${c}`, `${n} ${suffix}`, 'local_agency', R, w, r.d,
      c === 'disdikpora' ? 'school' : c === 'diskes' ? 'healthoffice' : 'office');
  }
  for (const k of r.kec) org(`${r.c}.kec-${slug(k)}`, `Kecamatan ${k}`, 'local_agency', R, 32,
    r.d);
  org(`${r.c}.rsud`, r.rs, 'health_facility', R, 340, r.d, 'health');
  // Puskesmas: one to three per district, numbered like the real ones.
  for (const k of r.kec) {
    const n = int(1, 3);
    const roman = ['I', 'II', 'III'];
    for (let i = 0; i < n; i++) {
      const name = n === 1 ? `Puskesmas ${k}` : `Puskesmas ${k} ${roman[i]}`;
      org(`${r.c}.pkm-${slug(k)}${n === 1 ? '' : `-${i + 1}`}`, name, 'health_facility', R,
        int(22, 40), r.d, 'health');
    }
  }
  // Desa adat: real stems of the regency, then combinations, unique names.
  const used = new Set();
  const names = [];
  for (const s of r.stems) if (names.length < r.adat) { names.push(s); used.add(s); }
  while (names.length < r.adat) {
    const stem = rand() < 0.6 ? pick(r.stems) : pick(genericStems);
    const n = `${stem}${pick(secondWords)}${pick(directions)}`;
    if (!used.has(n)) { used.add(n); names.push(n); }
  }
  for (const n of names) {
    org(`adat.${r.c}.${slug(n)}`.slice(0, 63), `Desa Adat ${n}`, 'desa_adat', R, 0, null,
      'adat');
  }
}

const central = [
  ['bps-bali', 'Badan Pusat Statistik Provinsi Bali', 'bps.go.id', 190],
  ['kanwil-kemenkum-bali', 'Kantor Wilayah Kementerian Hukum Bali', 'kemenkum.go.id', 110],
  ['kanwil-kemenag-bali', 'Kantor Wilayah Kementerian Agama Provinsi Bali', 'kemenag.go.id',
    160],
  ['kanwil-bpn-bali', 'Kantor Wilayah Badan Pertanahan Nasional Provinsi Bali', 'atrbpn.go.id',
    130],
  ['kanwil-djp-bali', 'Kantor Wilayah Direktorat Jenderal Pajak Bali', 'pajak.go.id', 180],
  ['kanwil-djpb-bali', 'Kantor Wilayah Direktorat Jenderal Perbendaharaan Provinsi Bali',
    'kemenkeu.go.id', 60],
  ['bpkp-bali', 'Perwakilan BPKP Provinsi Bali', 'bpkp.go.id', 90],
  ['bbmkg-3', 'Balai Besar Meteorologi, Klimatologi dan Geofisika Wilayah III', 'bmkg.go.id',
    70],
  ['bws-bali-penida', 'Balai Wilayah Sungai Bali-Penida', 'pu.go.id', 60],
  ['ombudsman-bali', 'Ombudsman Republik Indonesia Perwakilan Bali', 'ombudsman.go.id', 20],
  ['bpom-denpasar', 'Balai Besar POM di Denpasar', 'pom.go.id', 60],
];
for (const [c, n, d, w] of central) org(c, n, 'central_agency', null, w, d);
org('rsup-ngoerah', 'RSUP Prof. dr. I.G.N.G. Ngoerah', 'health_facility', null, 700,
  'kemkes.go.id', 'health');

// ---- People ----------------------------------------------------------------

const maleGiven = ['Sudarsana', 'Artawan', 'Suastika', 'Wirawan', 'Mahendra', 'Adnyana',
  'Sukadana', 'Suardana', 'Budiarta', 'Widnyana', 'Parwata', 'Sutama', 'Mertayasa', 'Darmawan',
  'Arsana', 'Wiguna', 'Kariasa', 'Suarjaya', 'Astawa', 'Antara', 'Santika', 'Suteja',
  'Wiradana', 'Ariawan', 'Sumerta', 'Sanjaya', 'Purnawan', 'Yudiantara', 'Saputra', 'Pramana',
  'Aditya', 'Wibawa', 'Dwipayana', 'Swastika', 'Subagia', 'Sukerta', 'Wardana', 'Juliarta',
  'Oka', 'Raka', 'Alit', 'Sedana', 'Gunawan', 'Kusuma', 'Sudira', 'Winaya', 'Mudita',
  'Setiawan', 'Suyasa', 'Widiana', 'Sudiarta', 'Mustika', 'Sukrawan', 'Wirata', 'Ardana',
  'Semara', 'Arimbawa', 'Suparta', 'Dharmayasa', 'Kertayasa'];
const femaleGiven = ['Widiasih', 'Sukmawati', 'Suryani', 'Ariani', 'Lestari', 'Puspitasari',
  'Yuliantari', 'Ratnasari', 'Wulandari', 'Sudiartini', 'Suwitri', 'Kartini', 'Rusmini',
  'Astiti', 'Wiryani', 'Mahayani', 'Sukarini', 'Sudarmi', 'Arini', 'Pratiwi', 'Antari',
  'Wahyuni', 'Purnamasari', 'Apsari', 'Yuniastuti', 'Kusumawati', 'Juniantari', 'Permatasari',
  'Paramitha', 'Murniasih', 'Sutariani', 'Armini', 'Suastini', 'Purnami', 'Pertiwi',
  'Candra Dewi', 'Trisna Dewi', 'Pramesti', 'Savitri', 'Sriasih', 'Darmayanti', 'Kurniawati',
  'Sugiantari', 'Wirastuti', 'Anggreni', 'Rahayu', 'Utami', 'Suciati', 'Damayanti',
  'Widyastuti'];
const middleMale = ['Agus', 'Eka', 'Dwi', 'Bayu', 'Arya', 'Yoga', 'Adi', 'Indra', 'Dharma',
  'Surya', 'Krisna', 'Angga'];
const middleFemale = ['Ayu', 'Eka', 'Dwi', 'Sri', 'Dewi', 'Indah', 'Dian', 'Novi', 'Ratih',
  'Sekar', 'Intan', 'Dewa Ayu'];
const orderMale = [['Wayan', 'Putu', 'Gede'], ['Made', 'Kadek', 'Nengah'], ['Nyoman', 'Komang'],
  ['Ketut']];
const femalePrefix = ['Ni Luh', 'Ni Wayan', 'Ni Putu', 'Ni Made', 'Ni Kadek', 'Ni Nyoman',
  'Ni Komang', 'Ni Ketut', 'Ni Luh Putu', 'Ni Luh Made', 'Ni Luh Gede', 'Ni Nengah'];
const titledMale = ['Ida Bagus', 'Anak Agung Gede', 'Anak Agung Ngurah', 'I Gusti Ngurah',
  'I Gusti Bagus', 'I Dewa Gede', 'Cokorda Gede', 'I Gusti Putu', 'I Dewa Made',
  'I Gusti Made'];
const titledFemale = ['Ida Ayu', 'Anak Agung Ayu', 'I Gusti Ayu', 'Desak Made', 'Desak Putu',
  'Cokorda Istri', 'Ni Gusti Ayu', 'Anak Agung Istri'];
const otherFirst = ['Siti', 'Agus', 'Muhammad', 'Dewi', 'Budi', 'Fransiska', 'Yohanes',
  'Ahmad', 'Rina', 'Hendra', 'Maria', 'Rudi', 'Yusuf', 'Kristina', 'Bambang', 'Fitri', 'Andi',
  'Nur', 'Stefanus', 'Lusiana'];
const otherLast = ['Rahmawati', 'Santoso', 'Rizki', 'Lestari', 'Hartono', 'Nuryanti',
  'Setiawan', 'Fauzi', 'Kurniasih', 'Gunawan', 'Ulfa', 'Hermawan', 'Hidayat', 'Simanjuntak',
  'Wibowo', 'Handayani', 'Saragih', 'Nugroho', 'Pangaribuan', 'Sulistyowati'];

function person() {
  const male = rand() < 0.5;
  const r = rand();
  let prefix;
  let given;
  if (r < 0.1) {
    return { name: `${pick(otherFirst)} ${pick(otherLast)}`, male, short: null };
  } else if (r < 0.22) {
    prefix = male ? pick(titledMale) : pick(titledFemale);
  } else {
    prefix = male ? `I ${pick(pick(orderMale))}` : pick(femalePrefix);
  }
  given = male ? pick(maleGiven) : pick(femaleGiven);
  if (rand() < 0.35) given = `${pick(male ? middleMale : middleFemale)} ${given}`;
  return { name: `${prefix} ${given}`, male, short: given };
}

const jobs = {
  office: ['Analis Kebijakan Ahli Muda', 'Analis Kebijakan Ahli Pertama',
    'Pranata Komputer Ahli Pertama', 'Pranata Komputer Ahli Muda', 'Perencana Ahli Muda',
    'Auditor Ahli Pertama', 'Arsiparis Terampil', 'Pengelola Keuangan',
    'Pengadministrasi Perkantoran', 'Analis Sumber Daya Manusia Aparatur Ahli Pertama',
    'Kepala Bidang', 'Kepala Seksi', 'Kepala Subbagian Umum dan Kepegawaian',
    'Statistisi Ahli Pertama', 'Penata Kelola Sistem dan Teknologi Informasi', 'Bendahara',
    'Penata Layanan Operasional', 'Pengolah Data dan Informasi', 'Operator Layanan Operasional'],
  school: ['Guru Ahli Pertama', 'Guru Ahli Muda', 'Guru Ahli Madya', 'Kepala Sekolah',
    'Pengawas Sekolah Ahli Madya', 'Pustakawan Terampil', 'Pranata Laboratorium Pendidikan',
    'Pengadministrasi Perkantoran'],
  healthoffice: ['Epidemiolog Kesehatan Ahli Muda', 'Administrator Kesehatan Ahli Muda',
    'Sanitarian Ahli Pertama', 'Tenaga Promosi Kesehatan dan Ilmu Perilaku Ahli Pertama',
    'Analis Kebijakan Ahli Muda', 'Pengelola Keuangan'],
  health: ['Dokter Ahli Pertama', 'Dokter Ahli Madya', 'Dokter Gigi Ahli Pertama',
    'Perawat Ahli Pertama', 'Perawat Terampil', 'Perawat Mahir', 'Bidan Terampil',
    'Bidan Ahli Pertama', 'Apoteker Ahli Pertama', 'Asisten Apoteker Terampil',
    'Pranata Laboratorium Kesehatan Terampil', 'Perekam Medis Terampil', 'Nutrisionis Terampil',
    'Sanitarian Terampil', 'Fisioterapis Terampil', 'Radiografer Terampil'],
  adat: ['Bendesa Adat', 'Penyarikan Desa Adat', 'Patengen Desa Adat'],
};

const usedNames = new Map();
const usedNip = new Set();
function username(p) {
  const parts = p.name.toLowerCase().replace(/[^a-z ]/g, '').split(' ')
    .filter((w) => !['i', 'ni'].includes(w));
  const base = `${parts[0]}.${parts[parts.length - 1]}`;
  const n = (usedNames.get(base) ?? 0) + 1;
  usedNames.set(base, n);
  return n === 1 ? base : `${base}${n}`;
}
function nip(male) {
  for (;;) {
    const y = int(1966, 2000);
    const birth = `${y}${String(int(1, 12)).padStart(2, '0')}${String(int(1, 28)).padStart(2, '0')}`;
    const ty = Math.min(2024, y + int(22, 32));
    const tmt = `${ty}${String(pick([1, 2, 3, 4, 12])).padStart(2, '0')}`;
    const v = `${birth}${tmt}${male ? 1 : 2}${String(int(1, 999)).padStart(3, '0')}`;
    if (!usedNip.has(v)) { usedNip.add(v); return v; }
  }
}
function phone() {
  return `+628${pick(['11', '12', '13', '21', '22', '23', '51', '52', '53', '57', '59', '77',
    '78', '81', '95', '96'])}${String(int(0, 99999999)).padStart(8, '0')}`;
}

// Share out the people: two officers per desa adat, the rest by weight.
const adat = orgs.filter((o) => o.kind === 'desa_adat');
const weighted = orgs.filter((o) => o.weight > 0);
const rest = TOTAL - adat.length * ADAT_PER;
if (rest < weighted.length) throw new Error('too few users for the organisations');
const wsum = weighted.reduce((s, o) => s + o.weight, 0);
const quota = new Map();
let given = 0;
const rema = [];
for (const o of weighted) {
  const exact = (rest * o.weight) / wsum;
  const q = Math.floor(exact);
  quota.set(o.code, q);
  given += q;
  rema.push([exact - q, o.code]);
}
rema.sort((a, b) => b[0] - a[0] || (a[1] < b[1] ? -1 : 1));
for (let i = 0; given < rest; i++, given++) quota.set(rema[i][1], quota.get(rema[i][1]) + 1);
for (const o of adat) quota.set(o.code, ADAT_PER);

const hashes = readFileSync(args.hashes, 'utf8').trim().split('\n').map((l) => l.split('\t'));
if (hashes.length === 0 || hashes.some((h) => h.length !== 2 || !h[1].startsWith('$argon2id$'))) {
  throw new Error(`${args.hashes}: expected lines "password<TAB>$argon2id$..."`);
}

const q = (v) => (v === null || v === undefined || v === '' ? '' :
  `"${String(v).replace(/"/g, '""')}"`);
const orgLines = ['code,name,kind,parent_code'];
for (const o of orgs) orgLines.push([q(o.code), q(o.name), q(o.kind), q(o.parent)].join(','));
const userLines = ['username,password_hash,name,email,phone_number,nip,job_title,org_code'];
const creds = [];
let i = 0;
for (const o of orgs) {
  const n = quota.get(o.code) ?? 0;
  for (let k = 0; k < n; k++, i++) {
    const p = person();
    const u = username(p);
    const [pw, hash] = hashes[i % hashes.length];
    let job;
    let id = null;
    if (o.role === 'adat') {
      job = jobs.adat[k % jobs.adat.length];
    } else {
      job = rand() < 0.08 ? 'Tenaga Kontrak' : pick(jobs[o.role]);
      if (job !== 'Tenaga Kontrak') id = nip(p.male);
    }
    const email = `${u}@${o.domain ?? 'gmail.com'}`;
    userLines.push([q(u), q(hash), q(p.name), q(email), q(rand() < 0.85 ? phone() : ''), q(id),
      q(job), q(o.code)].join(','));
    creds.push(`${u}\t${pw}`);
  }
}
if (i !== TOTAL) throw new Error(`made ${i} users, wanted ${TOTAL}`);

mkdirSync(args.out, { recursive: true });
writeFileSync(join(args.out, 'organisations.csv'), `${orgLines.join('\n')}\n`);
writeFileSync(join(args.out, 'users.csv'), `${userLines.join('\n')}\n`);
writeFileSync(join(args.out, 'credentials.tsv'), `${creds.join('\n')}\n`);
const kinds = {};
for (const o of orgs) kinds[o.kind] = (kinds[o.kind] ?? 0) + 1;
console.log(`${orgs.length} organisations (${Object.entries(kinds).map(([k, v]) => `${v} ${k}`)
  .join(', ')}), ${i} people, ${hashes.length} distinct password hashes`);
