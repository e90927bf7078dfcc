//===- DynamicLibraryTest.cpp - The owned dlopen handle -------------------===//
///
/// \file
/// Errors name every library tried; symbols resolve through the handle;
/// moves keep one owner.
///
//===----------------------------------------------------------------------===//

#include "lcs/DynamicLibrary.h"

#include "gtest/gtest.h"

using namespace lcs;

namespace {

TEST(DynamicLibrary, ErrorNamesEveryNameTried) {
  std::string Error;
  DynamicLibrary L =
      DynamicLibrary::open({"liblcs-test-absent.so.1", "/no/such/dir/libx.so"},
                           Error);
  EXPECT_FALSE(L);
  EXPECT_NE(Error.find("liblcs-test-absent.so.1: "), std::string::npos)
      << Error;
  EXPECT_NE(Error.find("; /no/such/dir/libx.so: "), std::string::npos)
      << Error;
  // The loader's message already starts with the name: not said twice.
  EXPECT_EQ(Error.find("liblcs-test-absent.so.1: liblcs-test-absent.so.1"),
            std::string::npos)
      << Error;
}

TEST(DynamicLibrary, OpensTheFirstThatLoadsAndFindsSymbols) {
  std::string Error = "stale";
  DynamicLibrary L =
      DynamicLibrary::open({"liblcs-test-absent.so.1", "libc.so.6"}, Error);
  ASSERT_TRUE(L) << Error;
  EXPECT_EQ(Error, "");
  EXPECT_EQ(L.name(), "libc.so.6");
  size_t (*StrLen)(const char *) = nullptr;
  ASSERT_TRUE(L.symbol("strlen", StrLen));
  EXPECT_EQ(StrLen("four"), 4u);
  int (*Absent)() = nullptr;
  EXPECT_FALSE(L.symbol("lcs_no_such_symbol", Absent));
  EXPECT_EQ(Absent, nullptr);
}

TEST(DynamicLibrary, MovesKeepOneOwner) {
  std::string Error;
  DynamicLibrary A = DynamicLibrary::open({"libc.so.6"}, Error);
  ASSERT_TRUE(A) << Error;
  DynamicLibrary B(std::move(A));
  EXPECT_FALSE(A);
  EXPECT_TRUE(B);
  DynamicLibrary &Same = B; // self-move, past -Wself-move
  B = std::move(Same);
  EXPECT_TRUE(B);
  DynamicLibrary C;
  C = std::move(B);
  EXPECT_FALSE(B);
  EXPECT_EQ(C.name(), "libc.so.6");
  EXPECT_NE(C.symbol("strlen"), nullptr);
  C.reset();
  EXPECT_FALSE(C);
  EXPECT_EQ(C.symbol("strlen"), nullptr);
}

TEST(DynamicLibrary, NoNamesIsAnError) {
  std::string Error;
  EXPECT_FALSE(DynamicLibrary::open({}, Error));
  EXPECT_EQ(Error, "no library name to load");
}

} // namespace
