// The Chinese fonts a PDF is set in, found on the machine: Debian's Noto CJK
// (fonts-noto-cjk), Windows' own SimSun/FangSong/SimHei, macOS' Songti/Heiti; or the
// files named by GRIDDECK_CJK_FONT (one TTF/OTF/TTC used for every face, with
// GRIDDECK_CJK_FONT_FAMILY naming the face inside a collection).
import { existsSync } from 'node:fs';

/** A font file and, for a collection (.ttc), the PostScript name of the face in it. */
export interface FontFace {
  path: string;
  family?: string;
}

/** The faces of an official document: title (小标宋), body (仿宋), heading (黑体), bold, table (宋体). */
export interface CjkFonts {
  title: FontFace;
  body: FontFace;
  heading: FontFace;
  bold: FontFace;
  table: FontFace;
}

const NOTO = '/usr/share/fonts/opentype/noto';
const WIN = 'C:\\Windows\\Fonts';
const MAC = '/System/Library/Fonts';

const SERIF: readonly FontFace[] = [
  { path: `${NOTO}/NotoSerifCJK-Regular.ttc`, family: 'NotoSerifCJKsc-Regular' },
  { path: '/usr/share/fonts/noto-cjk/NotoSerifCJK-Regular.ttc', family: 'NotoSerifCJKsc-Regular' },
  { path: `${WIN}\\simfang.ttf` },
  { path: `${WIN}\\simsun.ttc`, family: 'SimSun' },
  { path: `${MAC}/Supplemental/Songti.ttc`, family: 'STSongti-SC-Regular' },
];
const SERIF_BOLD: readonly FontFace[] = [
  { path: `${NOTO}/NotoSerifCJK-Bold.ttc`, family: 'NotoSerifCJKsc-Bold' },
  { path: '/usr/share/fonts/noto-cjk/NotoSerifCJK-Bold.ttc', family: 'NotoSerifCJKsc-Bold' },
  { path: `${WIN}\\simhei.ttf` },
  { path: `${MAC}/Supplemental/Songti.ttc`, family: 'STSongti-SC-Bold' },
];
const SANS_BOLD: readonly FontFace[] = [
  { path: `${NOTO}/NotoSansCJK-Bold.ttc`, family: 'NotoSansCJKsc-Bold' },
  { path: '/usr/share/fonts/noto-cjk/NotoSansCJK-Bold.ttc', family: 'NotoSansCJKsc-Bold' },
  { path: `${WIN}\\simhei.ttf` },
  { path: `${MAC}/STHeiti Medium.ttc`, family: 'STHeitiSC-Medium' },
];

function first(candidates: readonly FontFace[]): FontFace | null {
  return candidates.find((face) => existsSync(face.path)) ?? null;
}

/**
 * The fonts to set a PDF in. Throws a message for the operator when the machine has no
 * Chinese font (a PDF without one would print empty boxes).
 */
export function findCjkFonts(env: NodeJS.ProcessEnv = process.env): CjkFonts {
  const override = env.GRIDDECK_CJK_FONT;
  if (override) {
    if (!existsSync(override)) throw new Error(`GRIDDECK_CJK_FONT 指定的字体文件不存在：${override}`);
    const face = { path: override, family: env.GRIDDECK_CJK_FONT_FAMILY || undefined };
    return { title: face, body: face, heading: face, bold: face, table: face };
  }
  const body = first(SERIF);
  if (!body) {
    throw new Error('本机没有可用的中文字体，无法生成 PDF(Debian 请安装 fonts-noto-cjk;或用 GRIDDECK_CJK_FONT 指定字体文件)');
  }
  const bold = first(SERIF_BOLD) ?? body;
  return { title: bold, body, heading: first(SANS_BOLD) ?? bold, bold, table: body };
}
