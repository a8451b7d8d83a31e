/* Passwords common in Indonesia and in Bali: religious phrases, words of
 * affection, family, places of the province, Balinese birth-order names
 * and ceremonies, football clubs, brands, government words of the
 * province's own services, keyboard walks and numbers. They are the
 * first guesses of anyone who attacks an account here, so the policy
 * refuses them, and also with digits or symbols around them ("bali2024",
 * "sayang123!") and with digits for letters ("r4h4s14"). Lower case NFKC,
 * each once (tests/unit/test_oidc_pwpolicy.c checks). cracklib's
 * dictionary covers English words on top. */
#include <string.h>

#include "oidc/pwpolicy.h"

const char *const idp_pwlist_id[] = {
	"bismillah", "alhamdulillah", "assalamualaikum", "insyaallah",
	"inshaallah", "masyaallah", "mashaallah", "subhanallah",
	"allahuakbar", "astaghfirullah", "lailahaillallah", "allah",
	"muhammad", "rasulullah", "yesus", "jesus", "jesuschrist", "tuhan",
	"tuhanyesus", "haleluya", "amin", "amen", "sanghyangwidhi",
	"hyangwidhi", "omswastiastu", "swastiastu", "omshanti", "rahayu",
	"suksma", "matursuksma", "astungkara", "ganesha", "ganesa", "siwa",
	"shiva", "wisnu", "brahma", "krishna", "saraswati", "rahasia",
	"rahasiaku", "rahasiasaya", "katasandi", "sandi", "sandiku",
	"password", "passw0rd", "passwort", "kodeakses", "pinku", "sayang",
	"sayangku", "sayangkamu", "akusayangkamu", "cinta", "cintaku",
	"cintakamu", "akucintakamu", "cintasejati", "cintamati", "kasih",
	"kasihku", "rindu", "rinduku", "setia", "sejati", "selamanya",
	"bersama", "jodoh", "jodohku", "pacar", "pacarku", "mantan",
	"mantanku", "iloveyou", "iloveu", "ilovemom", "ilovedad", "love",
	"lovely", "loveyou", "loveme", "mylove", "sweet", "sweetheart",
	"baby", "babe", "honey", "princess", "prince", "sunshine",
	"beautiful", "ganteng", "cantik", "manis", "imut", "lucu", "keren",
	"hebat", "mantap", "mantul", "mama", "papa", "mamah", "papah",
	"mami", "papi", "ibu", "ibuku", "bapak", "bapakku", "ayah", "ayahku",
	"bunda", "bundaku", "anakku", "anak", "keluarga", "istri", "istriku",
	"suami", "suamiku", "kakak", "kakakku", "adik", "adikku", "nenek",
	"kakek", "sahabat", "sahabatku", "teman", "temanku", "indonesia",
	"indonesiaraya", "merdeka", "garuda", "garudaku", "pancasila",
	"bhinneka", "bhinnekatunggalika", "nusantara", "proklamasi",
	"kemerdekaan", "dirgahayu", "jakarta", "bandung", "surabaya",
	"medan", "semarang", "yogyakarta", "jogja", "jogjakarta", "makassar",
	"malang", "solo", "lombok", "mataram", "kupang", "bali", "balidwipa",
	"pulaudewata", "baliaga", "denpasar", "badung", "gianyar", "tabanan",
	"buleleng", "karangasem", "klungkung", "bangli", "jembrana", "kuta",
	"ubud", "sanur", "singaraja", "amlapura", "semarapura", "nusadua",
	"jimbaran", "seminyak", "legian", "kintamani", "besakih", "uluwatu",
	"tanahlot", "lovina", "bedugul", "batur", "agung", "gunungagung",
	"pura", "banjar", "desaadat", "bendesa", "kelian", "pecalang",
	"galungan", "kuningan", "nyepi", "ogohogoh", "kecak", "barong",
	"rangda", "legong", "gamelan", "canang", "sesajen", "odalan",
	"melasti", "pagerwesi", "banten", "wayan", "made", "nyoman", "ketut",
	"putu", "kadek", "komang", "gede", "gusti", "ngurah", "ayu", "dewa",
	"dewi", "bagus", "agus", "budi", "andi", "dedi", "hendra", "joko",
	"rudi", "yudi", "dian", "rina", "rini", "wati", "yanti", "fitri",
	"indah", "putri", "ratna", "lestari", "sari", "wulan", "bayu",
	"dimas", "rizki", "rizky", "fajar", "ilham", "reza", "putra", "arif",
	"hadi", "ahmad", "fatimah", "aisyah", "siti", "matahari", "bulan",
	"bintang", "langit", "pelangi", "lautan", "pantai", "gunung",
	"bunga", "mawar", "melati", "anggrek", "kenanga", "kamboja",
	"cempaka", "teratai", "sawah", "subak", "kopi", "kopibali",
	"nasigoreng", "satelilit", "babiguling", "lawar", "betutu", "persib",
	"persija", "persebaya", "arema", "aremania", "bonek", "viking",
	"jakmania", "baliunited", "baliunitedfc", "semeton", "barcelona",
	"realmadrid", "madrid", "manchester", "manchesterunited", "manutd",
	"chelsea", "arsenal", "liverpool", "juventus", "acmilan",
	"intermilan", "bayern", "messi", "ronaldo", "cristiano", "neymar",
	"mbappe", "football", "sepakbola", "samsung", "nokia", "oppo",
	"vivo", "xiaomi", "iphone", "android", "google", "facebook",
	"instagram", "whatsapp", "tiktok", "youtube", "gmail", "yahoo",
	"telkomsel", "indosat", "indihome", "wifi", "internet", "komputer",
	"laptop", "admin", "administrator", "admin123", "adminadmin", "root",
	"toor", "user", "pengguna", "default", "changeme", "welcome",
	"welcome1", "selamat", "selamatdatang", "selamatpagi", "halo",
	"hello", "helloworld", "test", "test123", "testing", "coba",
	"cobacoba", "percobaan", "ujicoba", "contoh", "demo", "guest",
	"tamu", "login", "masuk", "daftar", "akun", "akunku", "letmein",
	"secret", "master", "superman", "batman", "spiderman", "naruto",
	"sasuke", "doraemon", "pokemon", "dragon", "monkey", "shadow",
	"qwerty", "qwertyuiop", "qwertyui", "qwerty123", "asdfgh",
	"asdfghjk", "asdfghjkl", "zxcvbn", "zxcvbnm", "qazwsx", "qazwsxedc",
	"1qaz2wsx", "1q2w3e4r", "1q2w3e4r5t", "qwe123", "qweasd",
	"qweasdzxc", "abc123", "abcd1234", "abcdef", "abcdefgh", "aaaaaa",
	"aaaaaaaa", "pemprov", "pemprovbali", "baliprov", "provbali",
	"pemkab", "pemkot", "pemda", "diskominfo", "diskominfos", "kominfo",
	"bkpsdm", "bkd", "bappeda", "bapenda", "dinas", "kantor", "kantorku",
	"pegawai", "asn", "pns", "cpns", "pppk", "honorer", "nipku", "sipd",
	"simpeg", "ekinerja", "eoffice", "absensi", "presensi", "spbe",
	"satudata", "bupati", "gubernur", "walikota", "camat", "lurah",
	"perbekel", "kades", "sekretaris", "sekda", "kabid", "kasubag",
	"staff", "operator", "helpdesk", "puskesmas", "rumahsakit", "rsud",
	"sanglah", "dokter", "perawat", "bidan", "guru", "sekolah", "kampus",
	"unud", "udayana", "universitas", "mahasiswa", "pelajar", "polri",
	"polisi", "tentara", "januari", "februari", "maret", "april", "mei",
	"juni", "juli", "agustus", "september", "oktober", "november",
	"desember", "senin", "selasa", "rabu", "kamis", "jumat", "sabtu",
	"minggu", "anjing", "kucing", "monyet", "kampret", "jancok",
	"bangsat", "goblok", "tolol", "bego", "123456", "1234567",
	"12345678", "123456789", "1234567890", "0123456789", "87654321",
	"987654321", "9876543210", "11111111", "22222222", "00000000",
	"88888888", "99999999", "12341234", "11223344", "12121212",
	"123123123", "123321123", "147258369", "741852963", "159753",
	"159357", "789456123", "123654789", "112233", "1122334455",
	"17081945", "170845", "17agustus", "17agustus1945", "20242024",
	"20252025", "bali2024", "bali2025", "bali123", "indonesia123",
	"sayang123", "bismillah123", "rahasia123", "password123",
	"admin1234", "qwerty12345",
};
const size_t idp_pwlist_id_n =
    sizeof(idp_pwlist_id) / sizeof(idp_pwlist_id[0]);

bool
idp_pwlist_id_has(const char *folded)
{
	for (size_t i = 0; i < idp_pwlist_id_n; i++)
		if (strcmp(idp_pwlist_id[i], folded) == 0)
			return true;
	return false;
}
