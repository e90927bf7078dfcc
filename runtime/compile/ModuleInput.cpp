//===- ModuleInput.cpp - Reading kernel IR from any producer --------------===//
//
// See ModuleInput.h.
//
//===----------------------------------------------------------------------===//

#include "lcs/compile/ModuleInput.h"

#include "llvm/AsmParser/Parser.h"
#include "llvm/Bitcode/BitcodeReader.h"
#include "llvm/IR/DebugInfo.h"
#include "llvm/IR/DiagnosticInfo.h"
#include "llvm/IR/DiagnosticPrinter.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/Verifier.h"
#include "llvm/IRReader/IRReader.h"
#include "llvm/Linker/Linker.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <mutex>

using namespace llvm;

namespace lcs {

/// LLVM's readers upgrade debug info by verifying the module and calling
/// report_fatal_error when it is broken: bad input would abort the process
/// hosting lcs. lcs turns that off (once, for the whole process: the option
/// is global) and does the same upgrade itself in checkProgram, after its
/// own verification, where a broken module is an error.
static void disableAbortingDebugInfoUpgrade() {
  static std::once_flag Once;
  std::call_once(Once, [] {
    auto Options = cl::getRegisteredOptions();
    auto It = Options.find("disable-auto-upgrade-debug-info");
    if (It != Options.end())
      if (auto *Opt = static_cast<cl::opt<bool> *>(It->second))
        Opt->setValue(true);
  });
}

static Error inputError(StringRef Name, const Twine &Msg) {
  return createStringError(inconvertibleErrorCode(), Name + ": " + Msg);
}

/// First line of a possibly multi-line message.
static std::string firstLine(StringRef S) {
  return S.trim().split('\n').first.rtrim().str();
}

std::string upgradeLegacyByval(StringRef IR) {
  // Cheap exit for modern IR, which is almost all IR.
  if (IR.find("* byval") == StringRef::npos &&
      IR.find("* sret") == StringRef::npos)
    return IR.str();

  std::string Out;
  Out.reserve(IR.size() + 64);
  size_t Pos = 0;
  while (true) {
    size_t Star = IR.find('*', Pos);
    if (Star == StringRef::npos)
      break;
    StringRef After = IR.substr(Star + 1);
    StringRef Attr;
    if (After.starts_with(" byval"))
      Attr = "byval";
    else if (After.starts_with(" sret"))
      Attr = "sret";
    size_t AttrEnd = Star + 1 + 1 + Attr.size();
    bool Untyped = !Attr.empty() &&
                   (AttrEnd >= IR.size() || IR[AttrEnd] != '(');
    if (!Untyped) {
      Out.append(IR.data() + Pos, Star + 1 - Pos);
      Pos = Star + 1;
      continue;
    }
    // The pointee type ends just before '*'. Walk back over one type:
    // a bracketed aggregate, or a name/primitive token.
    size_t End = Star, Begin = Star;
    char Close = Begin > 0 ? IR[Begin - 1] : '\0';
    if (Close == '}' || Close == ']' || Close == '>') {
      char Open = Close == '}' ? '{' : Close == ']' ? '[' : '<';
      int Depth = 0;
      while (Begin > 0) {
        char C = IR[--Begin];
        if (C == Close)
          ++Depth;
        else if (C == Open && --Depth == 0)
          break;
      }
      // Packed structs: <{ ... }>.
      if (Open == '{' && Begin > 0 && IR[Begin - 1] == '<')
        --Begin;
    } else {
      auto IsTypeChar = [](char C) {
        return isalnum(static_cast<unsigned char>(C)) || C == '_' ||
               C == '.' || C == '%' || C == '$' || C == '"' || C == '-';
      };
      while (Begin > 0 && IsTypeChar(IR[Begin - 1]))
        --Begin;
    }
    StringRef Pointee = IR.slice(Begin, End);
    Out.append(IR.data() + Pos, AttrEnd - Pos);
    if (!Pointee.empty())
      (Out += '(') += Pointee.str() + ")";
    Pos = AttrEnd;
  }
  Out.append(IR.data() + Pos, IR.size() - Pos);
  return Out;
}

/// Splits text that holds several modules at each `; ModuleID` line.
static SmallVector<StringRef, 2> splitModules(StringRef Text) {
  SmallVector<StringRef, 2> Parts;
  size_t Start = 0, Pos = 0;
  while ((Pos = Text.find("; ModuleID", Pos)) != StringRef::npos) {
    bool AtLineStart = Pos == 0 || Text[Pos - 1] == '\n';
    if (AtLineStart && Pos != 0 && !Text.slice(Start, Pos).trim().empty()) {
      Parts.push_back(Text.slice(Start, Pos));
      Start = Pos;
    }
    Pos += 10;
  }
  Parts.push_back(Text.substr(Start));
  return Parts;
}

namespace {
/// Collects error diagnostics from the context while alive (the linker
/// reports through it), restoring the previous handler afterwards.
class DiagnosticCapture {
public:
  explicit DiagnosticCapture(LLVMContext &Ctx) : Ctx(Ctx) {
    OldHandler = Ctx.getDiagnosticHandlerCallBack();
    OldContext = Ctx.getDiagnosticContext();
    Ctx.setDiagnosticHandlerCallBack(&handle, this);
  }
  ~DiagnosticCapture() {
    Ctx.setDiagnosticHandlerCallBack(OldHandler, OldContext);
  }
  std::string takeMessage() { return std::move(Message); }

private:
  static void handle(const DiagnosticInfo *DI, void *Self) {
    auto *Cap = static_cast<DiagnosticCapture *>(Self);
    if (DI->getSeverity() != DS_Error || !Cap->Message.empty())
      return;
    raw_string_ostream OS(Cap->Message);
    DiagnosticPrinterRawOStream DP(OS);
    DI->print(DP);
  }
  LLVMContext &Ctx;
  DiagnosticHandler::DiagnosticHandlerTy OldHandler;
  void *OldContext;
  std::string Message;
};
} // namespace

Error linkInto(Module &Dest, MutableArrayRef<std::unique_ptr<Module>> Srcs,
               ArrayRef<std::string> SrcNames) {
  for (size_t I = 0; I != Srcs.size(); ++I) {
    DiagnosticCapture Capture(Dest.getContext());
    if (Linker::linkModules(Dest, std::move(Srcs[I])))
      return inputError(SrcNames[I],
                        "cannot link: " + firstLine(Capture.takeMessage()));
  }
  return Error::success();
}

Expected<std::unique_ptr<Module>> parseInput(MemoryBufferRef Buffer,
                                             LLVMContext &Ctx) {
  disableAbortingDebugInfoUpgrade();
  StringRef Name = Buffer.getBufferIdentifier();
  StringRef Bytes = Buffer.getBuffer();
  if (Bytes.empty())
    return inputError(Name, "empty input");

  // isBitcode reads a 4-byte magic without checking the length.
  if (Bytes.size() >= 4 &&
      isBitcode(reinterpret_cast<const unsigned char *>(Bytes.begin()),
                reinterpret_cast<const unsigned char *>(Bytes.end()))) {
    Expected<std::unique_ptr<Module>> M = parseBitcodeFile(Buffer, Ctx);
    if (!M)
      return inputError(Name, "invalid bitcode: " +
                                  firstLine(toString(M.takeError())));
    return std::move(*M);
  }
  if (Bytes.find('\0') != StringRef::npos)
    return inputError(Name, "neither LLVM bitcode nor LLVM IR text");

  std::string Text = upgradeLegacyByval(Bytes);
  SmallVector<StringRef, 2> Parts = splitModules(Text);
  std::vector<std::unique_ptr<Module>> Modules;
  std::vector<std::string> Names;
  for (size_t I = 0; I != Parts.size(); ++I) {
    std::string PartName =
        Parts.size() == 1 ? Name.str()
                          : (Name + " (module " + Twine(I + 1) + ")").str();
    SMDiagnostic Diag;
    // The lexer needs a NUL after the text; a slice of Text has none.
    std::string Part = Parts[I].str();
    std::unique_ptr<Module> M = parseAssemblyString(Part, Diag, Ctx);
    if (!M) {
      // Line numbers are relative to the part; report the part.
      return inputError(PartName, "line " + Twine(Diag.getLineNo()) + ":" +
                                      Twine(Diag.getColumnNo() + 1) + ": " +
                                      Diag.getMessage());
    }
    M->setModuleIdentifier(PartName);
    Modules.push_back(std::move(M));
    Names.push_back(PartName);
  }
  std::unique_ptr<Module> Dest = std::move(Modules.front());
  if (Error E = linkInto(*Dest, MutableArrayRef(Modules).drop_front(),
                         ArrayRef(Names).drop_front()))
    return E;
  return Dest;
}

Error checkProgram(Module &M, StringRef Name) {
  std::string Msg;
  raw_string_ostream OS(Msg);
  bool BrokenDebugInfo = false;
  if (verifyModule(M, &OS, &BrokenDebugInfo))
    return inputError(Name, "invalid module: " + firstLine(Msg));
  // What LLVM's UpgradeDebugInfo does, without aborting: debug info that is
  // broken or of an older version is dropped (the code is kept).
  if (BrokenDebugInfo || (getDebugMetadataVersionFromModule(M) !=
                              DEBUG_METADATA_VERSION &&
                          M.getNamedMetadata("llvm.dbg.cu"))) {
    StripDebugInfo(M);
    // Debug locations can hide where stripping does not look (attached
    // under another metadata kind): then the input is refused, since what
    // follows must work on a valid module.
    Msg.clear();
    BrokenDebugInfo = false;
    if (verifyModule(M, &OS, &BrokenDebugInfo) || BrokenDebugInfo)
      return inputError(Name, "invalid debug info that cannot be dropped: " +
                                  firstLine(Msg));
  }
  const Triple &T = M.getTargetTriple();
  // Triton's LLIR has no triple; an empty one is taken to mean NVPTX.
  if (!T.str().empty() && !T.isNVPTX())
    return inputError(Name, "not an NVPTX module (target triple '" + T.str() +
                                "')");
  return Error::success();
}

Expected<std::vector<std::unique_ptr<MemoryBuffer>>>
readInputs(ArrayRef<std::string> Paths) {
  if (Paths.empty())
    return createStringError(inconvertibleErrorCode(), "no input files");
  std::vector<std::unique_ptr<MemoryBuffer>> Out;
  for (const std::string &Path : Paths) {
    ErrorOr<std::unique_ptr<MemoryBuffer>> Buf =
        MemoryBuffer::getFileOrSTDIN(Path, /*IsText=*/false);
    if (!Buf)
      return inputError(Path, "cannot read: " + Buf.getError().message());
    // Name the buffer by its path, as errors should.
    Out.push_back(MemoryBuffer::getMemBufferCopy((*Buf)->getBuffer(), Path));
  }
  return Out;
}

Expected<std::unique_ptr<Module>> loadProgram(ArrayRef<MemoryBufferRef> Inputs,
                                              LLVMContext &Ctx) {
  if (Inputs.empty())
    return createStringError(inconvertibleErrorCode(), "no input files");
  std::vector<std::unique_ptr<Module>> Modules;
  std::vector<std::string> Names;
  for (MemoryBufferRef Input : Inputs) {
    Expected<std::unique_ptr<Module>> M = parseInput(Input, Ctx);
    if (!M)
      return M.takeError();
    // Check each input alone first, so an error names the file at fault.
    if (Error E = checkProgram(**M, Input.getBufferIdentifier()))
      return E;
    Modules.push_back(std::move(*M));
    Names.push_back(Input.getBufferIdentifier().str());
  }
  std::unique_ptr<Module> Dest = std::move(Modules.front());
  if (Modules.size() == 1)
    return Dest; // checked above
  if (Error E = linkInto(*Dest, MutableArrayRef(Modules).drop_front(),
                         ArrayRef(Names).drop_front()))
    return E;
  if (Error E = checkProgram(*Dest, "linked program"))
    return E;
  return Dest;
}

Expected<std::unique_ptr<Module>> loadProgram(ArrayRef<std::string> Paths,
                                              LLVMContext &Ctx) {
  Expected<std::vector<std::unique_ptr<MemoryBuffer>>> Buffers =
      readInputs(Paths);
  if (!Buffers)
    return Buffers.takeError();
  std::vector<MemoryBufferRef> Refs;
  for (const std::unique_ptr<MemoryBuffer> &B : *Buffers)
    Refs.push_back(B->getMemBufferRef());
  return loadProgram(Refs, Ctx);
}

} // namespace lcs
