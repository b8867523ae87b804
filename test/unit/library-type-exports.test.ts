// The package entry exports every named type its public signatures use (an option's type, an
// event's payload, a field of the result), so a TypeScript caller can name them; the lists of an
// option's allowed values; and its package.json, as packages commonly do.
import { createRequire } from 'node:module';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import * as lib from '../../src/index.js';
import { REPO } from '../helpers/serverProcess.js';

const ENTRY = path.join(REPO, 'src', 'index.ts');
const SRC = path.join(REPO, 'src') + path.sep;

/** The entry's exported names, and the named types of src/ its exports reach but do not export (with the path that reaches them). */
function publicTypes(): { exported: Set<string>; unexported: string[] } {
  const config = ts.getParsedCommandLineOfConfigFile(path.join(REPO, 'tsconfig.build.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })!;
  const program = ts.createProgram([ENTRY], { ...config.options, noEmit: true });
  const checker = program.getTypeChecker();
  const entry = checker.getSymbolAtLocation(program.getSourceFile(ENTRY)!)!;
  const exports = checker.getExportsOfModule(entry);
  const exported = new Set(exports.map((s) => s.name));
  const unexported = new Map<string, string>();
  const seen = new Set<ts.Type>();
  const isPublic = (p: ts.Symbol) => {
    const d = p.declarations?.[0];
    return !d || (ts.getCombinedModifierFlags(d) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) === 0;
  };
  const visit = (t: ts.Type, via: string): void => {
    if (seen.has(t)) return;
    seen.add(t);
    const sym = t.aliasSymbol ?? t.getSymbol();
    const decl = sym?.declarations?.[0];
    const named = decl && (ts.isInterfaceDeclaration(decl) || ts.isTypeAliasDeclaration(decl) || ts.isClassDeclaration(decl));
    if (named && decl.getSourceFile().fileName.startsWith(SRC.split(path.sep).join('/')) && !exported.has(sym!.name) && !unexported.has(sym!.name))
      unexported.set(sym!.name, via);
    for (const a of t.aliasTypeArguments ?? []) visit(a, via);
    if (t.isUnionOrIntersection()) for (const u of t.types) visit(u, via);
    if (t.flags & ts.TypeFlags.Object) for (const a of checker.getTypeArguments(t as ts.TypeReference) ?? []) visit(a, via);
    for (const sig of [...t.getCallSignatures(), ...t.getConstructSignatures()]) {
      for (const p of sig.getParameters()) visit(checker.getTypeOfSymbol(p), `${via}(${p.name})`);
      visit(sig.getReturnType(), `${via}()`);
    }
    if (t.isClassOrInterface()) for (const b of checker.getBaseTypes(t)) visit(b, via);
    if (t.flags & ts.TypeFlags.Object)
      for (const p of checker.getPropertiesOfType(t)) {
        if (!isPublic(p) || p.declarations?.[0]?.getSourceFile().fileName.includes('/node_modules/')) continue;
        visit(checker.getTypeOfSymbol(p), `${via}.${p.name}`);
      }
  };
  for (const s of exports) {
    const real = s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s;
    if (real.flags & ts.SymbolFlags.Type) visit(checker.getDeclaredTypeOfSymbol(real), s.name);
    if (real.flags & ts.SymbolFlags.Value) visit(checker.getTypeOfSymbol(real), s.name);
  }
  return { exported, unexported: [...unexported].map(([name, via]) => `${name} (reached by ${via})`) };
}

describe('the package entry', () => {
  const { exported, unexported } = publicTypes();

  it('exports every named type that its exports reach', () => {
    expect(unexported).toEqual([]);
  });

  it('exports the option, event and result types by name', () => {
    const names = [
      'FloodEvents', 'FloodWait', 'ResolvedFloodOptions', 'Stage', 'RateStage', 'Range', 'Mix', 'DisconnectMode', 'Shard',
      'TransportName', 'ProfileName', 'LifetimeFault', 'Assertion', 'AssertionResult', 'FaultClass',
    ];
    expect(names.filter((n) => !exported.has(n))).toEqual([]);
  });

  it("exports the lists of an option's allowed values", () => {
    expect(lib).toMatchObject({
      LIFETIME_FAULTS: expect.arrayContaining(['double-release']),
      DISCONNECT_MODES: expect.arrayContaining(['graceful']),
      PROFILE_NAMES: expect.arrayContaining(['stress']),
    });
  });

  it('exports its package.json', () => {
    const pkg = createRequire(path.join(REPO, 'package.json'))('iocp-bench/package.json') as { name: string };
    expect(pkg.name).toBe('iocp-bench');
  });
});
