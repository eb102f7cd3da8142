// The modes of what vglsd keeps on disk (SPEC §9): the data directory 0700, the database, its
// journal files and the admin token 0600. vglsd runs with umask 077, so what it creates is born
// so; `secure_data_dir` fixes what an older version or an operator left more open, and logs each
// change.
#pragma once

#include "server/config/server_config.h"

namespace vgls::server {

// Every file vglsd creates from now on: 0600, directories 0700.
void restrict_new_files();

// Tightens the data directory and the files vglsd keeps in it; logs each file it changed, and
// warns about a configured secret file (admin, client token, signing key) that others can read.
// Never fails the start: a mode it cannot change is a warning.
void secure_data_dir(const server_config& config);

}  // namespace vgls::server
