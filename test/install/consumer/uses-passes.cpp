// Links the passes: analyses an IR file given on the command line.
#include "lcs/LaunchSensitivity.h"
#include "lcs/compile/ModuleInput.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include <cstdio>
#include <string>
#include <vector>
int main(int argc, char **argv) {
  llvm::LLVMContext Ctx;
  std::vector<std::string> Inputs = {argv[1]};
  auto M = lcs::loadProgram(Inputs, Ctx);
  if (!M) {
    std::fprintf(stderr, "%s\n", llvm::toString(M.takeError()).c_str());
    return 1;
  }
  lcs::LaunchSensitivity LS = lcs::computeLaunchSensitivity(**M);
  for (const auto &K : LS.kernels())
    std::printf("%s: %s\n", K.Kernel->getName().str().c_str(),
                K.Fields.str().c_str());
  return 0;
}
