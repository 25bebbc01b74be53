//! Where SMTP passwords live: the operating system's keychain (Keychain Services on macOS, the
//! Credential Manager on Windows, the kernel's per-user keyring on Linux) — never the
//! database, a file or a log. `Memory` stands in for the keychain in tests.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::error::{Error, Result};

pub trait Secrets: Send + Sync {
    fn get(&self, key: &str) -> Result<Option<String>>;
    fn set(&self, key: &str, secret: &str) -> Result<()>;
    fn delete(&self, key: &str) -> Result<()>;
}

/// The OS keychain.
pub struct Keychain;

fn unavailable(e: impl std::fmt::Display) -> Error {
    Error::Keychain(e.to_string())
}

#[cfg(not(target_os = "linux"))]
impl Secrets for Keychain {
    fn get(&self, key: &str) -> Result<Option<String>> {
        match entry(key)?.get_password() {
            Ok(secret) => Ok(Some(secret)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(unavailable(e)),
        }
    }

    fn set(&self, key: &str, secret: &str) -> Result<()> {
        entry(key)?.set_password(secret).map_err(unavailable)
    }

    fn delete(&self, key: &str) -> Result<()> {
        match entry(key)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(unavailable(e)),
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn entry(key: &str) -> Result<keyring::Entry> {
    keyring::Entry::new("Shisa", key).map_err(unavailable)
}

// The user keyring rather than `keyring`'s session-plus-persistent scheme: linking into the
// persistent keyring is refused in many containers and remote sessions, and the user keyring
// is shared by every process of the user, as the app and the CLI need.
#[cfg(target_os = "linux")]
impl Secrets for Keychain {
    fn get(&self, key: &str) -> Result<Option<String>> {
        match user_keyring()?.search(&description(key)) {
            Ok(found) => match found.read_to_vec() {
                Ok(bytes) => String::from_utf8(bytes).map(Some).map_err(unavailable),
                Err(e) if gone(&e) => Ok(None),
                Err(e) => Err(unavailable(e)),
            },
            Err(e) if gone(&e) => Ok(None),
            Err(e) => Err(unavailable(e)),
        }
    }

    fn set(&self, key: &str, secret: &str) -> Result<()> {
        user_keyring()?
            .add_key(&description(key), secret.as_bytes())
            .map(drop)
            .map_err(unavailable)
    }

    fn delete(&self, key: &str) -> Result<()> {
        match user_keyring()?.search(&description(key)) {
            Ok(found) => match found.invalidate() {
                Err(e) if !gone(&e) => Err(unavailable(e)),
                _ => Ok(()),
            },
            Err(e) if gone(&e) => Ok(()),
            Err(e) => Err(unavailable(e)),
        }
    }
}

/// A deleted key lingers for a moment as revoked until the kernel collects it.
#[cfg(target_os = "linux")]
fn gone(e: &linux_keyutils::KeyError) -> bool {
    use linux_keyutils::KeyError::{KeyDoesNotExist, KeyExpired, KeyRevoked};
    matches!(e, KeyDoesNotExist | KeyRevoked | KeyExpired)
}

#[cfg(target_os = "linux")]
fn user_keyring() -> Result<linux_keyutils::KeyRing> {
    linux_keyutils::KeyRing::from_special_id(linux_keyutils::KeyRingIdentifier::User, true)
        .map_err(unavailable)
}

#[cfg(target_os = "linux")]
fn description(key: &str) -> String {
    format!("shisa:{key}")
}

/// Secrets kept in memory only, for tests.
#[derive(Default)]
pub struct Memory(pub Mutex<HashMap<String, String>>);

impl Secrets for Memory {
    fn get(&self, key: &str) -> Result<Option<String>> {
        Ok(self.0.lock().map_err(unavailable)?.get(key).cloned())
    }

    fn set(&self, key: &str, secret: &str) -> Result<()> {
        self.0
            .lock()
            .map_err(unavailable)?
            .insert(key.to_string(), secret.to_string());
        Ok(())
    }

    fn delete(&self, key: &str) -> Result<()> {
        self.0.lock().map_err(unavailable)?.remove(key);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_keychain_keeps_a_secret_until_it_is_deleted() {
        let key = format!("test-{}", uuid::Uuid::new_v4());
        let keychain = Keychain;
        assert_eq!(keychain.get(&key).unwrap(), None);
        keychain.set(&key, "correct horse").unwrap();
        assert_eq!(
            keychain.get(&key).unwrap().as_deref(),
            Some("correct horse")
        );
        keychain.set(&key, "battery staple").unwrap();
        assert_eq!(
            keychain.get(&key).unwrap().as_deref(),
            Some("battery staple")
        );
        keychain.delete(&key).unwrap();
        assert_eq!(keychain.get(&key).unwrap(), None);
    }
}
