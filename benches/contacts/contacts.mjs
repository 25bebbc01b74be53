// The benchmark's address book: a Japanese office's customer list as Excel writes it ("CSV
// UTF-8": a BOM, CRLF), made the same from the same seed on every run, and what the contacts
// view must show for it (search results and orders), worked out here to check the app by.

/** The columns of the file, as an office names them; 備考 is not a known field (custom). */
export const HEADER = ['氏名', 'フリガナ', 'メールアドレス', '会社名', '部署', '電話', '備考'];

const SURNAMES = [
  ['佐藤', 'サトウ', 'sato'], ['鈴木', 'スズキ', 'suzuki'], ['高橋', 'タカハシ', 'takahashi'],
  ['田中', 'タナカ', 'tanaka'], ['伊藤', 'イトウ', 'ito'], ['渡辺', 'ワタナベ', 'watanabe'],
  ['山本', 'ヤマモト', 'yamamoto'], ['中村', 'ナカムラ', 'nakamura'], ['小林', 'コバヤシ', 'kobayashi'],
  ['加藤', 'カトウ', 'kato'], ['吉田', 'ヨシダ', 'yoshida'], ['山田', 'ヤマダ', 'yamada'],
  ['佐々木', 'ササキ', 'sasaki'], ['山口', 'ヤマグチ', 'yamaguchi'], ['松本', 'マツモト', 'matsumoto'],
  ['井上', 'イノウエ', 'inoue'], ['木村', 'キムラ', 'kimura'], ['林', 'ハヤシ', 'hayashi'],
  ['斎藤', 'サイトウ', 'saito'], ['清水', 'シミズ', 'shimizu'], ['山崎', 'ヤマザキ', 'yamazaki'],
  ['森', 'モリ', 'mori'], ['池田', 'イケダ', 'ikeda'], ['橋本', 'ハシモト', 'hashimoto'],
  ['阿部', 'アベ', 'abe'], ['石川', 'イシカワ', 'ishikawa'], ['山下', 'ヤマシタ', 'yamashita'],
  ['中島', 'ナカジマ', 'nakajima'], ['石井', 'イシイ', 'ishii'], ['小川', 'オガワ', 'ogawa'],
  ['前田', 'マエダ', 'maeda'], ['岡田', 'オカダ', 'okada'], ['長谷川', 'ハセガワ', 'hasegawa'],
  ['藤田', 'フジタ', 'fujita'], ['後藤', 'ゴトウ', 'goto'], ['近藤', 'コンドウ', 'kondo'],
  ['村上', 'ムラカミ', 'murakami'], ['遠藤', 'エンドウ', 'endo'], ['青木', 'アオキ', 'aoki'],
  ['坂本', 'サカモト', 'sakamoto'], ['福田', 'フクダ', 'fukuda'], ['太田', 'オオタ', 'ota'],
  ['西村', 'ニシムラ', 'nishimura'], ['藤井', 'フジイ', 'fujii'], ['岡本', 'オカモト', 'okamoto'],
  ['松田', 'マツダ', 'matsuda'], ['中川', 'ナカガワ', 'nakagawa'], ['中野', 'ナカノ', 'nakano'],
  ['原田', 'ハラダ', 'harada'], ['小野', 'オノ', 'ono'],
];
const GIVEN_NAMES = [
  ['太郎', 'タロウ', 'taro'], ['花子', 'ハナコ', 'hanako'], ['健太', 'ケンタ', 'kenta'],
  ['美咲', 'ミサキ', 'misaki'], ['翔太', 'ショウタ', 'shota'], ['陽子', 'ヨウコ', 'yoko'],
  ['大輔', 'ダイスケ', 'daisuke'], ['直美', 'ナオミ', 'naomi'], ['誠', 'マコト', 'makoto'],
  ['恵子', 'ケイコ', 'keiko'], ['拓也', 'タクヤ', 'takuya'], ['由美', 'ユミ', 'yumi'],
  ['浩', 'ヒロシ', 'hiroshi'], ['裕子', 'ユウコ', 'yuko'], ['亮', 'リョウ', 'ryo'],
  ['智子', 'トモコ', 'tomoko'], ['和也', 'カズヤ', 'kazuya'], ['真由美', 'マユミ', 'mayumi'],
  ['隆', 'タカシ', 'takashi'], ['久美子', 'クミコ', 'kumiko'], ['健一', 'ケンイチ', 'kenichi'],
  ['明美', 'アケミ', 'akemi'], ['達也', 'タツヤ', 'tatsuya'], ['優子', 'ユウコ', 'yuko'],
  ['修', 'オサム', 'osamu'], ['愛', 'アイ', 'ai'], ['聡', 'サトシ', 'satoshi'],
  ['舞', 'マイ', 'mai'], ['剛', 'ツヨシ', 'tsuyoshi'], ['彩', 'アヤ', 'aya'],
  ['一郎', 'イチロウ', 'ichiro'], ['さくら', 'サクラ', 'sakura'], ['大介', 'ダイスケ', 'daisuke'],
  ['千尋', 'チヒロ', 'chihiro'], ['翼', 'ツバサ', 'tsubasa'], ['結衣', 'ユイ', 'yui'],
  ['学', 'マナブ', 'manabu'], ['真理子', 'マリコ', 'mariko'], ['洋平', 'ヨウヘイ', 'yohei'],
  ['奈々', 'ナナ', 'nana'],
];
const PLACES = [
  ['東京', 'tokyo'], ['大阪', 'osaka'], ['名古屋', 'nagoya'], ['横浜', 'yokohama'],
  ['札幌', 'sapporo'], ['福岡', 'fukuoka'], ['神戸', 'kobe'], ['京都', 'kyoto'],
  ['仙台', 'sendai'], ['広島', 'hiroshima'], ['千葉', 'chiba'], ['静岡', 'shizuoka'],
  ['新潟', 'niigata'], ['岡山', 'okayama'], ['熊本', 'kumamoto'], ['金沢', 'kanazawa'],
  ['北陸', 'hokuriku'], ['関東', 'kanto'], ['近畿', 'kinki'], ['中央', 'chuo'],
  ['日本', 'nihon'], ['東洋', 'toyo'], ['富士', 'fuji'], ['三和', 'sanwa'],
  ['大和', 'yamato'], ['昭和', 'showa'], ['朝日', 'asahi'], ['桜', 'sakura'],
  ['青葉', 'aoba'], ['若葉', 'wakaba'], ['旭', 'kyokujitsu'], ['瀬戸内', 'setouchi'],
];
const TRADES = [
  ['商事', 'shoji'], ['工業', 'kogyo'], ['物産', 'bussan'], ['建設', 'kensetsu'],
  ['電機', 'denki'], ['製作所', 'seisakusho'], ['運輸', 'unyu'], ['食品', 'shokuhin'],
  ['化学', 'kagaku'], ['精機', 'seiki'], ['印刷', 'insatsu'], ['不動産', 'fudosan'],
  ['システム', 'system'], ['薬品', 'yakuhin'], ['産業', 'sangyo'], ['技研', 'giken'],
  ['興産', 'kosan'], ['通商', 'tsusho'], ['設計', 'sekkei'], ['ソリューションズ', 'solutions'],
];
const DEPARTMENTS = [
  '営業部', '営業一課', '営業二課', '総務部', '経理部', '人事部', '企画部', '開発部',
  '製造部', '購買部', '広報部', '法務部', '情報システム部', 'マーケティング部',
];
const AREA_CODES = ['03', '06', '052', '045', '011', '092', '078', '075', '022', '082', '090', '080'];
const NOTES = [
  '展示会2025で名刺交換', 'ウェビナー参加', '資料請求あり', '既存顧客', '要フォロー',
  '年賀状送付先', 'セミナー申込', '代理店経由', '紹介', '休眠顧客',
];

/** A small seeded generator (mulberry32): the same contacts on every run and machine. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` contacts, each an array in HEADER order, with unique addresses. */
export function makeContacts(count, seed = 20261127) {
  const next = random(seed);
  const pick = (items) => items[Math.floor(next() * items.length)];
  const digits = (n) => String(Math.floor(next() * 10 ** n)).padStart(n, '0');
  const companies = PLACES.flatMap(([place, placeRomaji]) =>
    TRADES.map(([trade, tradeRomaji], i) => ({
      // Offices write the legal form before or after the name.
      name: i % 3 === 0 ? `株式会社${place}${trade}` : `${place}${trade}株式会社`,
      domain: `${placeRomaji}-${tradeRomaji}.co.jp`,
    })),
  );
  const taken = new Set();
  const rows = [];
  for (let i = 0; i < count; i++) {
    const [sei, seiKana, seiRomaji] = pick(SURNAMES);
    const [mei, meiKana, meiRomaji] = pick(GIVEN_NAMES);
    const company = pick(companies);
    const local = `${meiRomaji}.${seiRomaji}`;
    let address = `${local}@${company.domain}`;
    for (let n = 2; taken.has(address); n++) address = `${local}${n}@${company.domain}`;
    taken.add(address);
    const area = pick(AREA_CODES);
    // Tokyo and Osaka numbers and mobiles have 4-digit middles; other cities 3.
    const middle = area.length === 2 || area === '090' || area === '080' ? 4 : 3;
    const phone = `${area}-${digits(middle)}-${digits(4)}`;
    rows.push([
      `${sei} ${mei}`,
      `${seiKana} ${meiKana}`,
      address,
      company.name,
      pick(DEPARTMENTS),
      phone,
      next() < 0.5 ? pick(NOTES) : '',
    ]);
  }
  return rows;
}

/** The file as Excel's "CSV UTF-8" writes it. No value here holds a comma, quote or newline. */
export function toCsv(rows) {
  return `\uFEFF${[HEADER, ...rows].map((row) => row.join(',')).join('\r\n')}\r\n`;
}

export const ADDRESS = HEADER.indexOf('メールアドレス');
export const NAME = HEADER.indexOf('氏名');

/**
 * Orders as the app's SQL does: BINARY collation is UTF-8 byte order, which for these
 * characters (all in the BMP) is the order of JavaScript's string comparison.
 */
function compare(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The addresses in the table's default order (by address). */
export function byAddress(rows) {
  return rows.map((r) => r[ADDRESS]).sort(compare);
}

/**
 * The addresses that may come first when sorted by name, ascending or descending: those of
 * every contact holding the smallest (largest) name. The app breaks ties by id, which is the
 * import's business, so any of them will do; every contact here has a name, so the app's
 * "blank last" key plays no part.
 */
export function firstByName(rows, descending) {
  let best = rows[0][NAME];
  for (const row of rows) {
    const c = compare(row[NAME], best);
    if (descending ? c > 0 : c < 0) best = row[NAME];
  }
  return rows.filter((row) => row[NAME] === best).map((row) => row[ADDRESS]);
}

/**
 * What a search for `word` finds: a contact whose address or any field holds it (the app
 * ignores the case of ASCII letters only; the words searched here are Japanese), by address.
 */
export function searched(rows, word) {
  const needle = word.toLowerCase();
  return rows
    .filter((row) => row.some((value) => value.toLowerCase().includes(needle)))
    .map((row) => row[ADDRESS])
    .sort(compare);
}
