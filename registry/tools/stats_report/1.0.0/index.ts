export interface TopWord {
  word: string;
  count: number;
}

export interface Input {
  characters: number;
  words: number;
  lines: number;
  sentences: number;
  average_word_length: number;
  top_words: TopWord[];
}

export interface Output {
  headline: string;
  summary_markdown: string;
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** Markdown table cells: a pipe or a newline inside a word would break the table. */
const cell = (text: string): string => text.replace(/[|\\]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');

export default function statsReport(input: Input): Output {
  const top = input.top_words[0];
  const most = top === undefined ? 'no words' : `most frequent: "${top.word}" (${plural(top.count, 'time', 'times')})`;
  const headline = `${plural(input.words, 'word', 'words')}, ${plural(input.sentences, 'sentence', 'sentences')}; ${most}`;
  const rows = [
    '| measure | value |',
    '| --- | --- |',
    `| characters | ${input.characters} |`,
    `| words | ${input.words} |`,
    `| lines | ${input.lines} |`,
    `| sentences | ${input.sentences} |`,
    `| average word length | ${input.average_word_length} |`,
  ];
  const words = input.top_words.map((w) => `| ${cell(w.word)} | ${w.count} |`);
  const table = words.length === 0 ? [] : ['', '| word | count |', '| --- | --- |', ...words];
  return { headline, summary_markdown: [`**${headline}**`, '', ...rows, ...table].join('\n') };
}
