import { describe, expect, it } from "vitest";
import { cleanPastedHtml } from "./paste";

/** What Word 2016 (Japanese) puts on the clipboard for a short letter with a bulleted list. */
const WORD = `<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word" xmlns="http://www.w3.org/TR/REC-html40">
<head>
<meta http-equiv=Content-Type content="text/html; charset=utf-8">
<meta name=ProgId content=Word.Document>
<meta name=Generator content="Microsoft Word 15">
<link rel=File-List href="file:///C:/Users/yamada/AppData/Local/Temp/msohtmlclip1/01/clip_filelist.xml">
<!--[if gte mso 9]><xml>
 <o:OfficeDocumentSettings>
  <o:AllowPNG/>
 </o:OfficeDocumentSettings>
</xml><![endif]-->
<style>
<!--
 p.MsoNormal, li.MsoNormal, div.MsoNormal
	{mso-style-parent:"";
	margin:0mm;
	font-size:10.5pt;
	font-family:"游明朝",serif;}
-->
</style>
</head>
<body lang=JA style='tab-interval:42.0pt;word-wrap:break-word'>
<!--StartFragment-->
<p class=MsoNormal><span style='font-family:"游ゴシック",sans-serif;mso-ascii-theme-font:minor-latin'>いつもお世話になっております。<o:p></o:p></span></p>
<p class=MsoNormal><b><span style='color:#C00000;mso-bidi-font-weight:normal'>重要</span></b><span lang=EN-US>: </span><u>締切は<span lang=EN-US>11</span>月末</u>です。<o:p></o:p></p>
<p class=MsoNormal><o:p>&nbsp;</o:p></p>
<p class=MsoListParagraphCxSpFirst style='margin-left:18.0pt;mso-para-margin-left:0gd;text-indent:-18.0pt;mso-list:l0 level1 lfo1'><![if !supportLists]><span lang=EN-US style='font-family:Symbol;mso-fareast-font-family:Symbol'><span style='mso-list:Ignore'>·<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;&nbsp;&nbsp;&nbsp; </span></span></span><![endif]>資料の送付</p>
<p class=MsoListParagraphCxSpLast style='margin-left:18.0pt;text-indent:-18.0pt;mso-list:l0 level1 lfo1'><![if !supportLists]><span lang=EN-US style='font-family:Symbol'><span style='mso-list:Ignore'>·<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;&nbsp;&nbsp;&nbsp; </span></span></span><![endif]>日程の<i>調整</i></p>
<p class=MsoNormal><a href="https://example.jp/info"><span style='mso-bidi-font-family:Arial'>詳細はこちら</span></a><!--[if supportFields]><span style='mso-element:field-end'></span><![endif]--></p>
<!--EndFragment-->
</body>
</html>`;

/** What Excel puts on the clipboard for two rows of a customer sheet. */
const EXCEL = `<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel" xmlns="http://www.w3.org/TR/REC-html40">
<head>
<meta http-equiv=Content-Type content="text/html; charset=utf-8">
<meta name=ProgId content=Excel.Sheet>
<meta name=Generator content="Microsoft Excel 15">
<link id=Main-File rel=Main-File href="file:///C:/Users/yamada/AppData/Local/Temp/msohtmlclip1/01/clip.htm">
<style>
<!--table
	{mso-displayed-decimal-separator:"\\.";}
.xl65
	{mso-style-parent:style0;
	font-weight:700;}
-->
</style>
</head>
<body link="#0563C1" vlink="#954F72">
<table border=0 cellpadding=0 cellspacing=0 width=200 style='border-collapse:collapse;width:150pt'>
<!--StartFragment-->
 <col width=100 span=2 style='mso-width-source:userset;width:75pt'>
 <tr height=18 style='height:13.5pt'>
  <td height=18 class=xl65 width=100 style='height:13.5pt;width:75pt'>氏名</td>
  <td class=xl65 width=100 style='width:75pt'>会社名</td>
 </tr>
 <tr height=18 style='height:13.5pt'>
  <td height=18 style='height:13.5pt'>山田 太郎</td>
  <td style='color:red'>山田商事</td>
 </tr>
<!--EndFragment-->
</table>
</body>
</html>`;

describe("cleanPastedHtml", () => {
  it("keeps the text formatting of a Word letter and drops Office's markup", () => {
    expect(cleanPastedHtml(WORD)).toBe(
      "<p>いつもお世話になっております。</p>" +
        '<p><b><span style="color: #C00000">重要</span></b>: <u>締切は11月末</u>です。</p>' +
        "<p></p>" +
        "<ul><li>資料の送付</li><li>日程の<i>調整</i></li></ul>" +
        '<p><a href="https://example.jp/info">詳細はこちら</a></p>',
    );
  });

  it("keeps an Excel range as a plain table", () => {
    expect(cleanPastedHtml(EXCEL)).toBe(
      '<table style="border-collapse: collapse"><tbody>' +
        "<tr><td>氏名</td><td>会社名</td></tr>" +
        '<tr><td>山田 太郎</td><td style="color: red">山田商事</td></tr>' +
        "</tbody></table>",
    );
  });

  it("turns Word's typed numbering into a numbered list, nested by level", () => {
    const item = (level: number, marker: string, text: string) =>
      `<p class=MsoListParagraph style='mso-list:l1 level${level} lfo2'><![if !supportLists]>` +
      `<span style='mso-list:Ignore'>${marker}<span style='font:7.0pt "Times New Roman"'>&nbsp; </span></span>` +
      `<![endif]>${text}</p>`;
    const html =
      item(1, "1.", "準備") +
      item(2, "(ア)", "会場") +
      item(2, "(イ)", "資料") +
      item(1, "2.", "当日");
    expect(cleanPastedHtml(html)).toBe(
      "<ol><li>準備<ol><li>会場</li><li>資料</li></ol></li><li>当日</li></ol>",
    );
  });

  it("leaves clean HTML from a web page as it was", () => {
    const html =
      '<h2>ご案内</h2><ul><li><strong>日時</strong></li><li><a href="mailto:info@example.jp">連絡先</a></li></ul>';
    expect(cleanPastedHtml(html)).toBe(html);
  });

  it("keeps the editor's own button class and no other", () => {
    expect(
      cleanPastedHtml(
        '<p class="lead"><a class="shisa-button big" href="https://example.jp">申し込む</a></p>',
      ),
    ).toBe('<p><a class="shisa-button" href="https://example.jp">申し込む</a></p>');
  });

  it("removes scripts and empty spans but keeps spans that carry a style", () => {
    expect(
      cleanPastedHtml(
        '<p><span></span><span style="font-family: Meiryo">本文</span><script>alert(1)</script><span style="background-color: yellow">強調</span></p>',
      ),
    ).toBe('<p>本文<span style="background-color: yellow">強調</span></p>');
  });
});
