// Links the static runtime; creating a runtime either works (a GPU) or
// reports why not. Both are success for this test: it shows the package.
#include "lcs/Runtime.h"
#include "lcs/lcs.h"
#include <cstdio>
int main() {
  std::unique_ptr<lcs::Runtime> R;
  lcs::Status S = lcs::Runtime::create({}, R);
  std::printf("lcs %s: %s\n", lcs_version(),
              S.isOk() ? ("runtime for " + R->arch()).c_str()
                       : S.message().c_str());
  return S.isOk() || S.code() == LCS_ERROR_NO_DRIVER ? 0 : 1;
}
