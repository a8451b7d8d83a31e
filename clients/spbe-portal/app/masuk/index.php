<?php
// The protected address the sign-in button leads to: mod_auth_openidc
// signs the person in before this runs; then back to the table.
header('Location: /', true, 303);
