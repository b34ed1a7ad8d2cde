/**
 * A tiny WordNet written by hand in WordNet's own file formats (data.<pos> and index.<pos>
 * lines, with the licence header lines data files start with), for the dictionary's unit
 * tests: they run the real converter on it instead of depending on the generated asset.
 */
import type { WordNetSource } from '../../lib/dictionary/wordnet-format';

const header = ['  1 This database is a test fixture.  ', '  2 Copyright line of the fixture.  '];

const lines = (...rows: string[]) => [...header, ...rows.map((r) => `${r}  `), ''].join('\n');

export const FIXTURE: WordNetSource = {
  data: {
    noun: lines(
      '00000100 17 n 01 bank 1 001 @ 00000300 n 0000 | sloping land (especially the slope beside a body of water); "they pulled the canoe up on the bank"; "he sat on the bank of the river"',
      '00000200 14 n 03 bank 0 depository_financial_institution 0 banking_concern 0 000 | a financial institution that accepts deposits; "he cashed a check at the bank"',
      '00000300 17 n 01 slope 0 000 | an elevated geological formation',
      '00000400 05 n 01 goose 0 000 | web-footed long-necked migratory aquatic birds',
      '00000500 15 n 01 The_Hague 0 000 | the seat of government of the Netherlands',
      '00000600 04 n 01 church 0 000 | one of the groups of Christians who have their own beliefs; "the Baptist church"',
      '00000700 04 n 01 running 0 000 | the act of running',
    ),
    verb: lines(
      '00000100 40 v 01 bank 0 000 00 | do business with a bank; "Where do you bank?"',
      '00000200 38 v 02 run 0 go 0 000 00 | move fast by using one\'s feet; "Don\'t run--you\'ll be out of breath"',
      '00000300 31 v 01 study 0 000 00 | be a student of a certain subject',
      '00000400 30 v 01 look_up 0 000 00 | seek information from a reference work',
    ),
    adjective: lines(
      '00000100 00 a 01 good 0 000 | having desirable or positive qualities',
      '00000200 00 s 02 running(a) 0 operative 0 000 | (of a machine) in operation; "a running engine"',
    ),
    adverb: lines('00000100 02 r 01 well 0 000 | in a good manner; "the children behaved well" - A. Teacher'),
  },
  index: {
    // bank's financial sense is listed first here: sense order comes from the index, not the data file.
    noun: lines(
      'bank n 2 1 @ 2 1 00000200 00000100',
      'banking_concern n 1 0 1 0 00000200',
      'church n 1 0 1 0 00000600',
      'depository_financial_institution n 1 0 1 0 00000200',
      'goose n 1 0 1 0 00000400',
      'running n 1 0 1 0 00000700',
      'slope n 1 0 1 0 00000300',
      'the_hague n 1 0 1 0 00000500',
    ),
    verb: lines(
      'bank v 1 0 1 0 00000100',
      'go v 1 0 1 0 00000200',
      'look_up v 1 0 1 0 00000400',
      'run v 1 0 1 0 00000200',
      'study v 1 0 1 0 00000300',
    ),
    adjective: lines('good a 1 0 1 0 00000100', 'operative a 1 0 1 0 00000200', 'running a 1 0 1 0 00000200'),
    adverb: lines('well r 1 0 1 0 00000100'),
  },
  exceptions: {
    noun: { geese: 'goose', mice: 'mouse' },
    // As in WordNet's verb.exc: doubled consonants are listed, not derived by rule.
    verb: { ran: 'run', running: 'run' },
    adjective: { better: 'good' },
    adverb: { better: 'well' },
  },
  license: 'Fixture licence.\nWordNet-style notice that must travel with the data.',
};
