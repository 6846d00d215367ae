#include "storage/migrator.h"

#include <gtest/gtest.h>

namespace sac::storage {
namespace {

TEST(MigratorTest, OrdersMigrationsByVersion) {
  auto migrations = LoadMigrations({{"0002_b.sql", "SELECT 2"}, {"0001_a.sql", "SELECT 1"}});
  ASSERT_TRUE(migrations);
  ASSERT_EQ(migrations->size(), 2u);
  EXPECT_EQ((*migrations)[0].version, 1);
  EXPECT_EQ((*migrations)[1].version, 2);
  EXPECT_EQ((*migrations)[0].checksum.size(), 64u);
}

TEST(MigratorTest, RefusesBadNamesAndDuplicateVersions) {
  EXPECT_FALSE(LoadMigrations({{"1_a.sql", "SELECT 1"}}));
  EXPECT_FALSE(LoadMigrations({{"0001_a.txt", "SELECT 1"}}));
  EXPECT_FALSE(LoadMigrations({{"0001_a.sql", "SELECT 1"}, {"0001_b.sql", "SELECT 1"}}));
}

TEST(MigratorTest, TheEmbeddedMigrationsAreWellFormed) {
  auto migrations = LoadMigrations(EmbeddedMigrations());
  ASSERT_TRUE(migrations) << migrations.error().message;
  ASSERT_FALSE(migrations->empty());
  for (std::size_t i = 0; i < migrations->size(); ++i) {
    EXPECT_EQ((*migrations)[i].version, static_cast<int>(i + 1)) << "versions have no gaps";
  }
}

}  // namespace
}  // namespace sac::storage
