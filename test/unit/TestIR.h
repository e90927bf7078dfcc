//===- TestIR.h - Helpers that build test inputs ----------------*- C++ -*-===//

#ifndef LCS_TEST_TESTIR_H
#define LCS_TEST_TESTIR_H

#include "llvm/AsmParser/Parser.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include "gtest/gtest.h"

#include <memory>
#include <string>

namespace lcs::test {

/// Parses \p IR (an NVPTX module body; the triple is added), failing the
/// test with the parser's message if it does not parse.
inline std::unique_ptr<llvm::Module> parse(llvm::LLVMContext &Ctx,
                                           const std::string &IR) {
  llvm::SMDiagnostic Diag;
  std::string Text = "target triple = \"nvptx64-nvidia-cuda\"\n" + IR;
  std::unique_ptr<llvm::Module> M = llvm::parseAssemblyString(Text, Diag, Ctx);
  if (!M) {
    std::string Msg;
    llvm::raw_string_ostream OS(Msg);
    Diag.print("test", OS);
    ADD_FAILURE() << Msg;
  }
  return M;
}

} // namespace lcs::test

#endif // LCS_TEST_TESTIR_H
