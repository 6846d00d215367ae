# Script mode: writes OUTPUT, a C++ source defining sac::storage::EmbeddedMigrations().
set(body "")
foreach(file IN LISTS FILES)
  get_filename_component(name ${file} NAME)
  file(READ ${file} sql)
  string(APPEND body "      {\"${name}\", R\"sac_sql(${sql})sac_sql\"},\n")
endforeach()
file(WRITE ${OUTPUT}.tmp
"// Generated from migrations/*.sql by migrations/embed_migrations.cmake. Do not edit.
#include \"storage/migration_source.h\"

namespace sac::storage {

const std::vector<MigrationFile>& EmbeddedMigrations() {
  static const std::vector<MigrationFile> files = {
${body}  };
  return files;
}

}  // namespace sac::storage
")
file(COPY_FILE ${OUTPUT}.tmp ${OUTPUT} ONLY_IF_DIFFERENT)
file(REMOVE ${OUTPUT}.tmp)
