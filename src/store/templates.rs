//! Mail templates: the user's own, kept to be written again, and the starters the app ships
//! in Japanese and English. A starter cannot be changed or deleted; it can be duplicated.

use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::Db;
use super::files::StoredFile;
use crate::error::{Error, Result};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MailTemplate {
    pub name: String,
    pub subject: String,
    pub html: String,
    pub text: Option<String>,
    /// The file name pattern of each recipient's own file, e.g. `{{顧客ID}}.pdf`.
    pub attach_each: Option<String>,
    /// The images the HTML shows, in the store.
    pub images: Vec<StoredFile>,
    /// Shipped with the app: read-only.
    pub starter: bool,
}

struct Starter {
    name: &'static str,
    subject: &'static str,
    html: &'static str,
    attach_each: Option<&'static str>,
}

const STARTERS: &[Starter] = &[
    Starter {
        name: "お知らせ",
        subject: "【お知らせ】{{会社名|}} {{氏名|ご担当者}}様へ",
        html: "<p>{{会社名|}}<br>{{氏名|ご担当者}}様</p>\
            <p>いつもお世話になっております。</p>\
            <p>このたび、下記のとおりお知らせいたします。</p>\
            <p>（お知らせの内容）</p>\
            <p>ご不明な点がございましたら、お気軽にお問い合わせください。<br>今後ともよろしくお願い申し上げます。</p>",
        attach_each: None,
    },
    Starter {
        name: "新商品のご案内",
        subject: "新商品のご案内",
        html: "<p>{{会社名|}}<br>{{氏名|ご担当者}}様</p>\
            <p>平素より格別のお引き立てを賜り、誠にありがとうございます。</p>\
            <p>このたび、新商品「（商品名）」を発売いたしましたので、ご案内申し上げます。</p>\
            <h3>主な特長</h3><ul><li>（特長 1）</li><li>（特長 2）</li></ul>\
            <p><a class=\"shisa-button\" href=\"https://example.jp/\">詳しく見る</a></p>\
            <p>ぜひこの機会にご検討いただけますと幸いです。</p>",
        attach_each: None,
    },
    Starter {
        name: "セミナーのご案内",
        subject: "【ご案内】（セミナー名）開催のお知らせ",
        html: "<p>{{会社名|}}<br>{{氏名|ご担当者}}様</p>\
            <p>いつもお世話になっております。</p>\
            <p>下記のとおりセミナーを開催いたします。ご多忙のところ恐縮ですが、ぜひご参加ください。</p>\
            <table><tbody><tr><th>日時</th><td>（日時）</td></tr>\
            <tr><th>会場</th><td>（会場）</td></tr>\
            <tr><th>参加費</th><td>無料</td></tr></tbody></table>\
            <p><a class=\"shisa-button\" href=\"https://example.jp/\">参加を申し込む</a></p>",
        attach_each: None,
    },
    Starter {
        name: "請求書送付のご連絡",
        subject: "請求書送付のご連絡（{{会社名|}}様）",
        html: "<p>{{会社名|}}<br>{{氏名|ご担当者}}様</p>\
            <p>いつもお世話になっております。</p>\
            <p>今月分の請求書を添付にてお送りいたします。ご確認のほど、よろしくお願いいたします。</p>\
            <p>お支払い期限：（期限）</p>\
            <p>ご不明な点がございましたら、お気軽にお問い合わせください。</p>",
        attach_each: Some("{{顧客ID}}.pdf"),
    },
    Starter {
        name: "Announcement",
        subject: "An announcement for {{name|our customers}}",
        html: "<p>Dear {{name|customer}},</p>\
            <p>We would like to let you know that (announcement).</p>\
            <p>If you have any questions, please reply to this mail.</p>\
            <p>Best regards,</p>",
        attach_each: None,
    },
    Starter {
        name: "New product",
        subject: "Introducing (product)",
        html: "<p>Dear {{name|customer}},</p>\
            <p>We are pleased to introduce our new product, (product).</p>\
            <ul><li>(feature 1)</li><li>(feature 2)</li></ul>\
            <p><a class=\"shisa-button\" href=\"https://example.com/\">Learn more</a></p>",
        attach_each: None,
    },
    Starter {
        name: "Seminar invitation",
        subject: "Invitation: (seminar)",
        html: "<p>Dear {{name|customer}},</p>\
            <p>You are invited to (seminar).</p>\
            <table><tbody><tr><th>Date</th><td>(date)</td></tr>\
            <tr><th>Place</th><td>(place)</td></tr></tbody></table>\
            <p><a class=\"shisa-button\" href=\"https://example.com/\">Register</a></p>",
        attach_each: None,
    },
    Starter {
        name: "Your invoice",
        subject: "Your invoice from (company)",
        html: "<p>Dear {{name|customer}},</p>\
            <p>Please find this month's invoice attached.</p>\
            <p>Payment is due by (date). Thank you for your business.</p>",
        attach_each: Some("{{顧客ID}}.pdf"),
    },
];

fn starter(s: &Starter) -> MailTemplate {
    MailTemplate {
        name: s.name.into(),
        subject: s.subject.into(),
        html: s.html.into(),
        text: None,
        attach_each: s.attach_each.map(Into::into),
        images: Vec::new(),
        starter: true,
    }
}

/// The user's templates by name, then the starters.
pub fn list(db: &Db) -> Result<Vec<MailTemplate>> {
    let conn = db.conn()?;
    let mut stmt = conn.prepare(
        "SELECT name, subject, html, text, attach_each, images FROM templates ORDER BY name",
    )?;
    let own = stmt
        .query_map([], |r| {
            Ok(MailTemplate {
                name: r.get(0)?,
                subject: r.get(1)?,
                html: r.get(2)?,
                text: r.get(3)?,
                attach_each: r.get(4)?,
                images: serde_json::from_str(&r.get::<_, String>(5)?).unwrap_or_default(),
                starter: false,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(own
        .into_iter()
        .chain(STARTERS.iter().map(starter))
        .collect())
}

pub fn get(db: &Db, name: &str) -> Result<MailTemplate> {
    list(db)?
        .into_iter()
        .find(|t| t.name == name.trim())
        .ok_or_else(|| Error::NoSuchTemplate(name.trim().to_string()))
}

/// Saves a template under its name, replacing the user's own template of that name. A
/// starter's name is taken.
pub fn save(db: &Db, template: &MailTemplate) -> Result<()> {
    let name = template.name.trim();
    if name.is_empty() {
        return Err(Error::EmptyTemplateName);
    }
    if STARTERS.iter().any(|s| s.name == name) {
        return Err(Error::DuplicateTemplate(name.to_string()));
    }
    let now = db.now();
    db.with_tx(|tx| {
        tx.execute(
            "INSERT INTO templates (name, subject, html, text, attach_each, images, created_at,
                 updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)
             ON CONFLICT (name) DO UPDATE SET subject = ?2, html = ?3, text = ?4,
                 attach_each = ?5, images = ?6, updated_at = ?7",
            params![
                name,
                template.subject,
                template.html,
                template.text,
                template.attach_each,
                serde_json::to_string(&template.images).expect("files serialise"),
                now
            ],
        )?;
        Ok(())
    })
}

/// Copies a template (a starter too) under a new name.
pub fn duplicate(db: &Db, name: &str, new_name: &str) -> Result<MailTemplate> {
    let copy = MailTemplate {
        name: new_name.trim().to_string(),
        starter: false,
        ..get(db, name)?
    };
    let exists = db
        .conn()?
        .query_row(
            "SELECT 1 FROM templates WHERE name = ?1",
            [&copy.name],
            |_| Ok(()),
        )
        .optional()?;
    if exists.is_some() {
        return Err(Error::DuplicateTemplate(copy.name));
    }
    save(db, &copy)?;
    Ok(copy)
}

pub fn delete(db: &Db, name: &str) -> Result<()> {
    let removed =
        db.with_tx(|tx| Ok(tx.execute("DELETE FROM templates WHERE name = ?1", [name.trim()])?))?;
    if removed == 0 {
        return Err(Error::NoSuchTemplate(name.trim().to_string()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compose::merge::{Known, Template};

    #[test]
    fn own_templates_keep_their_images_and_starters_stay_read_only() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("db")).unwrap();
        let logo = db.files().put("logo.png", b"png").unwrap();
        let mine = MailTemplate {
            name: "月例".into(),
            subject: "月例のご報告".into(),
            html: "<p>x</p>".into(),
            text: None,
            attach_each: None,
            images: vec![logo],
            starter: false,
        };
        save(&db, &mine).unwrap();
        assert_eq!(get(&db, "月例").unwrap(), mine);
        assert!(matches!(
            save(
                &db,
                &MailTemplate {
                    name: "お知らせ".into(),
                    ..mine.clone()
                }
            ),
            Err(Error::DuplicateTemplate(_))
        ));
        let copy = duplicate(&db, "お知らせ", "お知らせ（春）").unwrap();
        assert!(!copy.starter);
        assert!(matches!(
            delete(&db, "お知らせ"),
            Err(Error::NoSuchTemplate(_))
        ));
        delete(&db, "月例").unwrap();
        assert_eq!(list(&db).unwrap().iter().filter(|t| !t.starter).count(), 1);
    }

    #[test]
    fn starters_use_only_standard_fields_or_the_customer_id() {
        let known = Known::new(["顧客ID".to_string()]);
        for s in STARTERS {
            for text in [s.subject, s.html] {
                Template::parse(text).check(&known).unwrap();
            }
            assert_eq!(
                crate::compose::sanitize::sanitize(s.html),
                s.html,
                "{}",
                s.name
            );
        }
    }
}
