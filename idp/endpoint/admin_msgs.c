/* The operator console's messages, Bahasa Indonesia first. */
#include "endpoint/admin.h"

const struct idp_msg idp_admin_msgs[] = {
	[AM_CONSOLE] = { "Konsol operator", "Operator console" },
	[AM_HOME_INTRO] = { "Masuk sebagai %s. Pilih bagian yang Anda "
	    "perlukan.", "Signed in as %s. Choose what you need." },
	[AM_NAV] = { "Bagian konsol", "Console sections" },
	[AM_PEOPLE] = { "Orang", "People" },
	[AM_ORGS] = { "Organisasi", "Organisations" },
	[AM_CLIENTS] = { "Layanan", "Services" },
	[AM_SESSIONS] = { "Sesi", "Sessions" },
	[AM_AUDIT] = { "Log audit", "Audit log" },
	[AM_KEYS] = { "Kunci penandatanganan", "Signing keys" },
	[AM_REPORT] = { "Laporan bukti SPBE", "SPBE evidence report" },
	[AM_FORBIDDEN] = { "Tidak diizinkan", "Not allowed" },
	[AM_FORBIDDEN_WHY] = { "Peran Anda tidak mengizinkan halaman atau "
	    "tindakan ini. Hubungi admin SSO jika Anda memerlukannya.",
	    "Your role does not allow this page or action. Ask an SSO "
	    "admin if you need it." },
	[AM_NEED_FACTOR] = { "Faktor kedua diperlukan",
	    "A second factor is required" },
	[AM_NEED_FACTOR_WHY] = { "Konsol operator hanya dapat dibuka dari "
	    "sesi yang masuk dengan faktor kedua. Keluar, lalu masuk lagi "
	    "dengan faktor kedua Anda.", "The operator console opens only "
	    "in a session signed in with a second factor. Sign out, then "
	    "sign in again with your second factor." },
	[AM_ARG] = { "%s", "%s" },
	[AM_SEARCH] = { "Cari orang", "Find a person" },
	[AM_SEARCH_HINT] = { "Nama, nama pengguna, NIP atau email",
	    "Name, username, NIP or email" },
	[AM_SEARCH_BUTTON] = { "Cari", "Search" },
	[AM_FOUND] = { "%s orang ditemukan", "%s people found" },
	[AM_NAME] = { "Nama", "Name" },
	[AM_USERNAME] = { "Nama pengguna", "Username" },
	[AM_NIP] = { "NIP", "NIP" },
	[AM_EMAIL] = { "Email", "Email" },
	[AM_ORG] = { "Organisasi", "Organisation" },
	[AM_STATE] = { "Status", "State" },
	[AM_ACTIVE] = { "aktif", "active" },
	[AM_DISABLED] = { "dinonaktifkan", "disabled" },
	[AM_PERSON] = { "%s", "%s" },
	[AM_SUB] = { "Pengenal (sub)", "Subject (sub)" },
	[AM_ROLES] = { "Peran", "Roles" },
	[AM_FACTORS] = { "Faktor terdaftar", "Factors enrolled" },
	[AM_NONE] = { "tidak ada", "none" },
	[AM_LIVE_SESSIONS] = { "Sesi aktif", "Active sessions" },
	[AM_STARTED] = { "Masuk pada", "Signed in" },
	[AM_LAST_USED] = { "Terakhir dipakai", "Last used" },
	[AM_ADDRESS] = { "Alamat IP", "IP address" },
	[AM_SERVICES] = { "Layanan", "Services" },
	[AM_SIGNINS] = { "Proses masuk terakhir", "Recent sign-ins" },
	[AM_WHEN] = { "Waktu", "Time" },
	[AM_EVENT] = { "Peristiwa", "Event" },
	[AM_SERVICE] = { "Layanan", "Service" },
	[AM_CONSENTS] = { "Persetujuan", "Consents" },
	[AM_SCOPES] = { "Cakupan", "Scopes" },
	[AM_GRANTED] = { "Diberikan", "Granted" },
	[AM_ACTIONS] = { "Tindakan helpdesk", "Helpdesk actions" },
	[AM_RESET_CODE] = { "Buat kode reset kata sandi",
	    "Issue a password reset code" },
	[AM_END_SESSIONS] = { "Akhiri semua sesi", "End every session" },
	[AM_DISABLE] = { "Nonaktifkan akun", "Disable the account" },
	[AM_ENABLE] = { "Aktifkan akun", "Enable the account" },
	[AM_CODE_IS] = { "Kode reset untuk %s: %s", "Reset code for %s: %s" },
	[AM_CODE_HOW] = { "Bacakan kode ini kepada orangnya melalui telepon. "
	    "Kode dimasukkan di /reset/code, berlaku sekali dan hanya "
	    "ditampilkan sekarang.", "Read this code to the person over the "
	    "phone. It is entered at /reset/code, works once and is shown "
	    "only now." },
	[AM_ENDED] = { "Semua sesi orang ini sudah diakhiri.",
	    "Every session of this person has ended." },
	[AM_DISABLED_DONE] = { "Akun dinonaktifkan; semua sesinya berakhir.",
	    "The account is disabled; all its sessions ended." },
	[AM_ENABLED_DONE] = { "Akun diaktifkan kembali.",
	    "The account is enabled again." },
	[AM_CONFIRM_END] = { "Akhiri semua sesi %s?",
	    "End every session of %s?" },
	[AM_CONFIRM_DISABLE] = { "Nonaktifkan akun %s?",
	    "Disable the account of %s?" },
	[AM_CONFIRM_WHAT] = { "Orang ini harus masuk lagi, dan akses layanan "
	    "yang dibuka dari sesi itu berhenti.", "The person must sign in "
	    "again, and the access of services opened from those sessions "
	    "stops." },
	[AM_CANCEL] = { "Batal", "Cancel" },
	[AM_BACK_PERSON] = { "Kembali ke halaman orang ini",
	    "Back to this person's page" },
	[AM_NOBODY] = { "Tidak ada orang seperti itu.",
	    "There is no such person." },
	[AM_ROLE_YOU] = { "Peran Anda: %s", "Your roles: %s" },
	[AM_KIND] = { "Jenis", "Kind" },
	[AM_PEOPLE_COUNT] = { "Orang", "People" },
	[AM_MORE_CHILDREN] = { "dan %s lainnya", "and %s more" },
	[AM_STATUS] = { "Status", "Status" },
	[AM_OWNER] = { "Pemilik", "Owner" },
	[AM_LAST] = { "Terakhir dipakai", "Last used" },
	[AM_PENDING] = { "menunggu", "pending" },
	[AM_APPROVE] = { "Setujui", "Approve" },
	[AM_REJECT] = { "Tolak", "Reject" },
	[AM_ACTIVATE] = { "Aktifkan", "Enable" },
	[AM_REASON] = { "Alasan", "Reason" },
	[AM_REASON_HINT] = { "Wajib untuk menolak; dikirim ke pengembang.",
	    "Required to reject; the developer reads it." },
	[AM_APPROVED_DONE] = { "Layanan disetujui.", "The service is "
	    "approved." },
	[AM_REJECTED_DONE] = { "Layanan ditolak.", "The service is rejected." },
	[AM_CLIENT_DISABLED] = { "Layanan dinonaktifkan.",
	    "The service is disabled." },
	[AM_CLIENT_ENABLED] = { "Layanan diaktifkan.", "The service is "
	    "enabled." },
	[AM_ALL] = { "Semua", "All" },
	[AM_NEVER] = { "belum pernah", "never" },
	[AM_SESSIONS_TOTAL] = { "%s sesi aktif", "%s active sessions" },
	[AM_PEOPLE_SIGNED_IN] = { "%s orang sedang masuk",
	    "%s people signed in" },
	[AM_KID] = { "Pengenal kunci (kid)", "Key id (kid)" },
	[AM_ALG] = { "Algoritme", "Algorithm" },
	[AM_CREATED] = { "Dibuat", "Created" },
	[AM_PUBLISHED_UNTIL] = { "Dipublikasikan sampai",
	    "Published until" },
	[AM_KEYS_NOTE] = { "Rotasi kunci di bawah sama dengan idpctl keys "
	    "rotate, dan dicatat di log audit atas nama Anda.",
	    "Rotating below is the same as idpctl keys rotate, and is "
	    "audited in your name." },
	[AM_FILTER] = { "Saring", "Filter" },
	[AM_SINCE] = { "Sejak", "Since" },
	[AM_UNTIL] = { "Sampai", "Until" },
	[AM_TIME_HINT] = { "2026-12-01 atau 2026-12-01T08:00+08:00",
	    "2026-12-01 or 2026-12-01T08:00+08:00" },
	[AM_CSV] = { "Unduh CSV", "Download CSV" },
	[AM_ACTOR] = { "Pelaku", "Actor" },
	[AM_DETAILS] = { "Rincian", "Details" },
	[AM_OLDER] = { "Lebih lama", "Older" },
	[AM_BAD_FILTER] = { "Saringan ini tidak dapat dibaca: %s.",
	    "This filter cannot be read: %s." },
	[AM_REPORT_INTRO] = { "Layanan yang terintegrasi melalui SSO dalam %s "
	    "hari terakhir.", "Services integrated through the SSO over the "
	    "last %s days." },
	[AM_INTEGRATED] = { "Terintegrasi", "Integrated" },
	[AM_ACTIVE_30] = { "Orang aktif (30 hari)", "Active people (30 days)" },
	[AM_SIGNINS_DAY] = { "Masuk per hari", "Sign-ins per day" },
	[AM_SECOND_SHARE] = { "Dengan faktor kedua", "With a second factor" },
	[AM_KINDS] = { "Orang per jenis organisasi",
	    "People per kind of organisation" },
	[AM_GROUP] = { "Jenis organisasi", "Kind of organisation" },
	[AM_CHART_TITLE] = { "Proses masuk ke layanan per hari",
	    "Sign-ins at services per day" },
	[AM_CHART_DESC] = { "Diagram batang jumlah proses masuk per hari "
	    "selama %s hari terakhir; angkanya ada di tabel di bawahnya.",
	    "A bar chart of sign-ins per day over the last %s days; the "
	    "numbers are in the table below it." },
	[AM_DAY] = { "Hari", "Day" },
	[AM_G_PROVINCIAL] = { "Perangkat daerah provinsi",
	    "Provincial agencies" },
	[AM_G_REGENCIES] = { "Kabupaten dan kota", "Regencies and cities" },
	[AM_G_DESA] = { "Desa adat", "Desa adat" },
	[AM_G_HEALTH] = { "Fasilitas kesehatan", "Health facilities" },
	[AM_G_CENTRAL] = { "Instansi pusat", "Central agencies" },
	[AM_G_NONE] = { "Tanpa organisasi", "No organisation" },
	[AM_SERVICES_N] = { "%s layanan terintegrasi",
	    "%s integrated services" },
	[AM_SIGNINS_30] = { "Proses masuk (30 hari)", "Sign-ins (30 days)" },
	[AM_ROTATED] = { "Kunci baru telah dibuat dan diterbitkan di JWKS.",
	    "New keys were made and published in the JWKS." },
	[AM_KEY_NEXT] = { "berikutnya", "next" },
	[AM_KEY_RETIRED] = { "dipensiunkan", "retired" },
	[AM_ROTATE] = { "Rotasi kunci", "Rotate keys" },
	[AM_ROTATE_WHEN] = { "Kapan kunci baru mulai menandatangani",
	    "When the new keys start signing" },
	[AM_ROTATE_NEXT] = { "Setelah key_prepublish (%s detik), agar layanan "
	    "sempat mengambil JWKS baru", "After key_prepublish (%s s), so "
	    "services fetch the new JWKS first" },
	[AM_ROTATE_NOW] = { "Sekarang (kunci yang bocor)",
	    "Now (a key that leaked)" },
	[AM_CONFIRM_ROTATE] = { "Rotasi kunci penandatanganan?",
	    "Rotate the signing keys?" },
	[AM_ROTATE_WHAT_NEXT] = { "Setiap algoritme dengan kunci aktif "
	    "mendapat kunci baru, diterbitkan sekarang dan menandatangani "
	    "setelah key_prepublish.", "Every algorithm with an active key gets "
	    "a new key, published now and signing after key_prepublish." },
	[AM_ROTATE_WHAT_NOW] = { "Setiap algoritme dengan kunci aktif "
	    "mendapat kunci baru yang langsung menandatangani; kunci lama tetap "
	    "diterbitkan sampai token yang ditandatanganinya kedaluwarsa.",
	    "Every algorithm with an active key gets a new key that signs at "
	    "once; the old keys stay published until the tokens they signed "
	    "have expired." },
	[AM_DELIVERIES] = { "Pengiriman keluar (sign-out)",
	    "Sign-out deliveries" },
	[AM_DELIVERIES_INTRO] = { "Layanan yang gagal menerima token logout "
	    "back-channel, seperti idpctl logout status --failed.",
	    "Services that failed to receive back-channel logout tokens, as "
	    "idpctl logout status --failed shows." },
	[AM_DELIVERIES_ALL] = { "Token logout back-channel per layanan.",
	    "Back-channel logout tokens per service." },
	[AM_SHOW_FAILING] = { "Hanya layanan yang gagal",
	    "Failing services only" },
	[AM_SHOW_ALL] = { "Semua layanan", "Every service" },
	[AM_PENDING_N] = { "Menunggu", "Pending" },
	[AM_DELIVERED] = { "Terkirim", "Delivered" },
	[AM_FAILED] = { "Gagal", "Failed" },
	[AM_OLDEST] = { "Tertua menunggu (detik)", "Oldest pending (seconds)" },
	[AM_LAST_ERROR] = { "Kesalahan terakhir", "Last error" },
	[AM_DELIVERIES_NONE] = { "Tidak ada layanan yang gagal.",
	    "No service is failing." },
	[AM_DELIVERIES_EMPTY] = { "Belum ada token logout yang dikirim.",
	    "No logout token has been sent yet." },
	[AM_ROTATE_FILES] = { "Kunci node ini berupa berkas di key_dir, tanpa "
	    "kunci enkripsi kunci: putar dengan idpctl keys rotate.",
	    "The keys of this node are files in key_dir, without a "
	    "key-encryption key: rotate them with idpctl keys rotate." },
	[AM_FOUND_MORE] = { "Lebih dari %s orang ditemukan; persempit "
	    "pencarian.", "More than %s people found; narrow the search." },
};
const size_t idp_admin_nmsgs = AM_COUNT;
