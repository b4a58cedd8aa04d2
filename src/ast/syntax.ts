// The scanner's rules need SyntaxKind values and node type guards; `ast/` is the only room
// that may import `typescript` (docs/architecture.md), so it hands the namespace on from here.
import ts from './typescript.cjs';

export { ts };
