// Patterns that make a test pass whatever the code does. Each rule reads a test file's syntax tree (TypeScript's own
// parser), so a pattern split across lines or written with other spacing is still found.
import ts from 'typescript';

export type RuleName = 'rejects-without-matcher' | 'ok-always-truthy' | 'sleep' | 'count-after-click';

export interface Finding {
  rule: RuleName;
  line: number;
  text: string;
}

/** Calls written `assert.x(...)` or `assert(...)`: the method's name, or 'ok' for the bare form. */
function assertMethod(call: ts.CallExpression): string | undefined {
  const callee = call.expression;
  if (ts.isIdentifier(callee) && callee.text === 'assert') return 'ok';
  if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'assert') return callee.name.text;
  return undefined;
}

/** An expression whose truth is known without running anything: a literal, a function, an object or array, a `new`. */
function alwaysTruthyOrConstant(node: ts.Expression): boolean {
  while (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isNonNullExpression(node)) node = node.expression;
  return (
    node.kind === ts.SyntaxKind.TrueKeyword ||
    node.kind === ts.SyntaxKind.FalseKeyword ||
    ts.isStringLiteral(node) ||
    ts.isNoSubstitutionTemplateLiteral(node) ||
    ts.isTemplateExpression(node) ||
    ts.isNumericLiteral(node) ||
    ts.isRegularExpressionLiteral(node) ||
    ts.isObjectLiteralExpression(node) ||
    ts.isArrayLiteralExpression(node) ||
    ts.isArrowFunction(node) ||
    ts.isFunctionExpression(node) ||
    ts.isClassExpression(node) ||
    ts.isNewExpression(node)
  );
}

/** Names this file gives to node's promise timer (`import { setTimeout as sleep } from 'node:timers/promises'`). */
function timerAliases(file: ts.SourceFile): Set<string> {
  const names = new Set(['sleep', 'delay', 'wait']);
  for (const statement of file.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    if (!/^(node:)?timers\/promises$/.test(statement.moduleSpecifier.text)) continue;
    const bindings = statement.importClause?.namedBindings;
    if (bindings && ts.isNamedImports(bindings)) for (const element of bindings.elements) names.add(element.name.text);
  }
  return names;
}

function holdsFunction(node: ts.Node): boolean {
  return ts.isArrowFunction(node) || ts.isFunctionExpression(node) || ts.isFunctionDeclaration(node) || (ts.forEachChild(node, holdsFunction) ?? false);
}

const WAITS = /\bwaitFor(URL|Response|Request|Navigation|LoadState|Event|Selector)?\s*\(|\bexpect\s*\(/;

/** Every finding in one test file's source. */
export function checkSource(fileName: string, source: string): Finding[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const findings: Finding[] = [];
  const timers = timerAliases(file);
  const report = (rule: RuleName, node: ts.Node) =>
    findings.push({ rule, line: file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1, text: node.getText(file).split('\n')[0]!.slice(0, 120) });

  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const method = assertMethod(node);
      if (method === 'rejects' || method === 'throws') {
        // Node takes a string second argument as the failure message, not as something the error must match.
        const matcher = node.arguments[1];
        if (!matcher || ts.isStringLiteral(matcher) || ts.isNoSubstitutionTemplateLiteral(matcher) || ts.isTemplateExpression(matcher)) report('rejects-without-matcher', node);
      }
      if (method === 'ok' && node.arguments[0] && alwaysTruthyOrConstant(node.arguments[0])) report('ok-always-truthy', node);
      const callee = node.expression;
      if (ts.isIdentifier(callee) && (callee.text === 'setTimeout' || timers.has(callee.text))) report('sleep', node);
      if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'waitForTimeout') report('sleep', node);
    }
    if (ts.isBlock(node) || ts.isSourceFile(node) || ts.isCaseClause(node)) {
      // A count taken by the statement right after a click may read the page the click is leaving.
      const statements = node.statements;
      // Statements that hold a function (an it() or a callback) are not single steps, and are left to their own blocks.
      for (let i = 1; i < statements.length; i++) {
        const [before, current] = [statements[i - 1]!, statements[i]!];
        if (holdsFunction(before) || holdsFunction(current)) continue;
        const previous = before.getText(file);
        if (/\.click\s*\(/.test(previous) && !WAITS.test(previous) && /\.count\s*\(\s*\)/.test(current.getText(file))) report('count-after-click', current);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return findings;
}
