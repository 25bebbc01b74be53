//! The app's own copies of the files a mail carries, each named by the sha256 of its bytes.
//! A file is copied in when the user adds it; what is sent is that copy, checked against its
//! hash again just before sending, so a file edited, replaced or damaged afterwards is never
//! sent in its place.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::error::{Error, Result};

/// A file in the store, as a campaign refers to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StoredFile {
    /// The name the recipient sees.
    pub name: String,
    #[ts(type = "number")]
    pub size: u64,
    pub sha256: String,
}

/// The folder of stored files.
#[derive(Debug, Clone)]
pub struct Files {
    dir: PathBuf,
}

impl Files {
    pub fn new(dir: PathBuf) -> Files {
        Files { dir }
    }

    /// Copies the file at `path` in (once per distinct content) and returns how to refer to it.
    pub fn add(&self, path: &Path) -> Result<StoredFile> {
        if !path.is_file() {
            return Err(Error::NotAFile { path: path.into() });
        }
        let bytes = std::fs::read(path).map_err(Error::io(path))?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        self.put(&name, &bytes)
    }

    /// Stores `bytes` under the name `name`.
    pub fn put(&self, name: &str, bytes: &[u8]) -> Result<StoredFile> {
        let sha256 = hex::encode(Sha256::digest(bytes));
        let target = self.path(&sha256);
        if !target.exists() {
            std::fs::create_dir_all(&self.dir).map_err(Error::io(&self.dir))?;
            // Written under a temporary name and renamed, so a crash never leaves a partial
            // file under a hash it does not match.
            let partial = self.dir.join(format!("{sha256}.partial"));
            let mut file = std::fs::File::create(&partial).map_err(Error::io(&partial))?;
            file.write_all(bytes)
                .and_then(|()| file.sync_all())
                .map_err(Error::io(&partial))?;
            std::fs::rename(&partial, &target).map_err(Error::io(&target))?;
        }
        Ok(StoredFile {
            name: name.to_string(),
            size: bytes.len() as u64,
            sha256,
        })
    }

    /// The stored bytes of `file`, refused unless they still hash to its sha256.
    pub fn read(&self, file: &StoredFile) -> Result<Vec<u8>> {
        let path = self.path(&file.sha256);
        let bytes = std::fs::read(&path).map_err(Error::io(&path))?;
        if hex::encode(Sha256::digest(&bytes)) != file.sha256 {
            return Err(Error::FileChanged {
                name: file.name.clone(),
                sha256: file.sha256.clone(),
            });
        }
        Ok(bytes)
    }

    fn path(&self, sha256: &str) -> PathBuf {
        self.dir.join(sha256)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stores_by_content_and_refuses_a_changed_copy() {
        let dir = tempfile::tempdir().unwrap();
        let files = Files::new(dir.path().join("files"));
        let source = dir.path().join("請求書 山田様.pdf");
        std::fs::write(&source, b"%PDF-1.7 one").unwrap();
        let stored = files.add(&source).unwrap();
        assert_eq!(stored.name, "請求書 山田様.pdf");
        assert_eq!(stored.size, 12);
        // The original may change or vanish: the stored copy is what is sent.
        std::fs::write(&source, b"%PDF-1.7 two").unwrap();
        assert_eq!(files.read(&stored).unwrap(), b"%PDF-1.7 one");
        assert_eq!(
            files.put("again.pdf", b"%PDF-1.7 one").unwrap().sha256,
            stored.sha256
        );

        std::fs::write(dir.path().join("files").join(&stored.sha256), b"tampered").unwrap();
        assert!(matches!(
            files.read(&stored),
            Err(Error::FileChanged { .. })
        ));
        assert!(matches!(files.add(dir.path()), Err(Error::NotAFile { .. })));
    }
}
