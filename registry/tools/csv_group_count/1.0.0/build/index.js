/** Splits CSV text into rows of fields (RFC 4180: quotes, doubled quotes, CRLF or LF). */
function parseCsv(text, delimiter) {
    const rows = [];
    let row = [];
    let field = '';
    let quoted = false;
    for (let i = 0; i < text.length; i++) {
        const ch = text[i];
        if (quoted) {
            if (ch === '"' && text[i + 1] === '"') {
                field += '"';
                i++;
            }
            else if (ch === '"')
                quoted = false;
            else
                field += ch;
        }
        else if (ch === '"' && field === '')
            quoted = true;
        else if (ch === delimiter) {
            row.push(field);
            field = '';
        }
        else if (ch === '\n' || ch === '\r') {
            if (ch === '\r' && text[i + 1] === '\n')
                i++;
            row.push(field);
            field = '';
            rows.push(row);
            row = [];
        }
        else
            field += ch;
    }
    if (field !== '' || row.length > 0) {
        row.push(field);
        rows.push(row);
    }
    return rows.filter((r) => !(r.length === 1 && r[0] === ''));
}
export default function csvGroupCount(input) {
    const rows = parseCsv(input.csv, input.delimiter ?? ',');
    const header = rows[0] ?? [];
    const indexes = input.group_by.map((column) => {
        const index = header.indexOf(column);
        if (index < 0)
            throw new Error(`unknown column "${column}"; the header has: ${header.join(', ')}`);
        return index;
    });
    const counts = new Map();
    for (const row of rows.slice(1)) {
        const values = indexes.map((i) => row[i] ?? '');
        const id = JSON.stringify(values);
        const group = counts.get(id) ?? { key: Object.fromEntries(input.group_by.map((c, j) => [c, values[j] ?? ''])), count: 0 };
        group.count++;
        counts.set(id, group);
    }
    const groups = [...counts.entries()]
        .sort(([a, x], [b, y]) => y.count - x.count || (a < b ? -1 : a > b ? 1 : 0))
        .map(([, g]) => g);
    const table = [
        `| ${input.group_by.join(' | ')} | count |`,
        `| ${input.group_by.map(() => '---').join(' | ')} | ---: |`,
        ...groups.map((g) => `| ${input.group_by.map((c) => g.key[c]).join(' | ')} | ${g.count} |`),
    ].join('\n');
    return { total_rows: Math.max(rows.length - 1, 0), groups, summary_markdown: table };
}
