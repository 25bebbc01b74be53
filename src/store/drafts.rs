//! The mail being written, saved as it is typed and restored when the app opens again.

use rusqlite::{OptionalExtension, params};

use super::Db;
use crate::compose::NewCampaign;
use crate::error::Result;

pub fn save(db: &Db, draft: &NewCampaign) -> Result<()> {
    let json = serde_json::to_string(draft).expect("a draft serialises");
    let now = db.now();
    db.with_tx(|tx| {
        tx.execute(
            "INSERT INTO drafts (id, draft, updated_at) VALUES (1, ?1, ?2)
             ON CONFLICT (id) DO UPDATE SET draft = ?1, updated_at = ?2",
            params![json, now],
        )?;
        Ok(())
    })
}

/// The saved draft; one that no longer reads (written by another version) is dropped.
pub fn load(db: &Db) -> Result<Option<NewCampaign>> {
    let json: Option<String> = db
        .conn()?
        .query_row("SELECT draft FROM drafts WHERE id = 1", [], |r| r.get(0))
        .optional()?;
    Ok(json.and_then(|j| serde_json::from_str(&j).ok()))
}

pub fn discard(db: &Db) -> Result<()> {
    db.with_tx(|tx| {
        tx.execute("DELETE FROM drafts", [])?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_draft_survives_until_discarded() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("db")).unwrap();
        assert_eq!(load(&db).unwrap().map(|d| d.subject), None);
        let mut draft = NewCampaign {
            subject: "書きかけ".into(),
            ..NewCampaign::default()
        };
        save(&db, &draft).unwrap();
        draft.html = "<p>続き</p>".into();
        save(&db, &draft).unwrap();
        assert_eq!(load(&db).unwrap().unwrap().html, "<p>続き</p>");
        discard(&db).unwrap();
        assert!(load(&db).unwrap().is_none());
    }
}
