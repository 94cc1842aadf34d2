//! `Vars`: the variables a service reads its settings from, with typed getters. The
//! process environment wins; an env file fills only what it leaves unset.
use std::collections::HashMap;
use std::net::SocketAddr;
use std::str::FromStr;
use std::time::Duration;

use crate::{env_file, ConfigError, Secret};

/// Variables by name. Every getter takes the variable's full name, which a refusal names.
#[derive(Debug, Clone, Default)]
pub struct Vars {
    map: HashMap<String, String>,
}

impl Vars {
    pub fn new(map: HashMap<String, String>) -> Self {
        Vars { map }
    }

    /// The process environment (a variable whose name or value is not UTF-8 is left out).
    pub fn from_process() -> Self {
        Vars::new(
            std::env::vars_os()
                .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
                .collect(),
        )
    }

    /// The process environment, then the env file the variable `file_var` names (if it
    /// is set) for what the environment leaves unset.
    pub fn from_env_and_file(file_var: &'static str) -> Result<Self, ConfigError> {
        let mut vars = Vars::from_process();
        if let Some(path) = vars.get(file_var).map(String::from) {
            let pairs =
                env_file::read(&path).map_err(|e| ConfigError::invalid(file_var, e.to_string()))?;
            vars.fill(pairs);
        }
        Ok(vars)
    }

    /// Sets each of `pairs` the variables do not hold yet (the first of a repeated key).
    pub fn fill(&mut self, pairs: impl IntoIterator<Item = (String, String)>) {
        for (k, v) in pairs {
            self.map.entry(k).or_insert(v);
        }
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.map.get(name).map(String::as_str)
    }

    /// `name`'s value, or `ConfigError::Missing`.
    pub fn required(&self, name: &'static str) -> Result<&str, ConfigError> {
        self.get(name).ok_or(ConfigError::Missing(name))
    }

    /// `name`'s value, or `default` when unset.
    pub fn or<'a>(&'a self, name: &str, default: &'a str) -> &'a str {
        self.get(name).unwrap_or(default)
    }

    /// `name` parsed and passing `valid`, or `default` (unchecked) when unset; a value
    /// that does not parse or pass is refused with `reason`.
    pub fn parse_or<T: FromStr>(
        &self,
        name: &'static str,
        default: T,
        valid: impl Fn(&T) -> bool,
        reason: &str,
    ) -> Result<T, ConfigError> {
        match self.get(name) {
            None => Ok(default),
            Some(v) => v
                .parse::<T>()
                .ok()
                .filter(valid)
                .ok_or_else(|| ConfigError::invalid(name, reason)),
        }
    }

    /// A positive whole number of seconds, `default_secs` when unset.
    pub fn seconds_or(
        &self,
        name: &'static str,
        default_secs: u64,
    ) -> Result<Duration, ConfigError> {
        self.parse_or(
            name,
            default_secs,
            |n| *n > 0,
            "must be a positive number of seconds",
        )
        .map(Duration::from_secs)
    }

    /// `true` or `false`, `default` when unset.
    pub fn flag_or(&self, name: &'static str, default: bool) -> Result<bool, ConfigError> {
        match self.get(name) {
            None => Ok(default),
            Some("true") => Ok(true),
            Some("false") => Ok(false),
            Some(_) => Err(ConfigError::invalid(name, "must be true or false")),
        }
    }

    /// An `ip:port`, `default` when unset.
    pub fn socket_addr_or(
        &self,
        name: &'static str,
        default: &str,
    ) -> Result<SocketAddr, ConfigError> {
        self.or(name, default)
            .parse()
            .map_err(|_| ConfigError::invalid(name, "must be ip:port"))
    }

    /// A comma-separated list, items trimmed, empty items dropped (unset: empty).
    pub fn list(&self, name: &str) -> Vec<String> {
        split_list(self.get(name).unwrap_or(""))
    }

    /// A required secret: base64 of at least `min_len` bytes that look random.
    pub fn secret(&self, name: &'static str, min_len: usize) -> Result<Secret, ConfigError> {
        Secret::from_base64(name, self.required(name)?, min_len)
    }
}

/// `text` split at commas, items trimmed, empty items dropped.
pub fn split_list(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

impl From<HashMap<String, String>> for Vars {
    fn from(map: HashMap<String, String>) -> Self {
        Vars::new(map)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> Vars {
        Vars::new(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    #[test]
    fn the_environment_wins_over_the_file() {
        let mut v = vars(&[("A", "env")]);
        v.fill([
            ("A".to_string(), "file".to_string()),
            ("B".to_string(), "file".to_string()),
            ("B".to_string(), "later".to_string()),
        ]);
        assert_eq!((v.get("A"), v.get("B")), (Some("env"), Some("file")));
    }

    #[test]
    fn typed_getters_default_when_unset_and_name_the_variable_when_refusing() {
        let v = vars(&[
            ("N", "0"),
            ("T", "12"),
            ("F", "yes"),
            ("ADDR", "nowhere"),
            ("L", " a, ,b ,"),
        ]);
        assert_eq!(
            v.parse_or("UNSET", 7u32, |n| *n > 0, "r").expect("default"),
            7
        );
        let e = v
            .parse_or("N", 7u32, |n| *n > 0, "must be positive")
            .expect_err("zero");
        assert_eq!(e.to_string(), "N: must be positive");
        assert_eq!(v.seconds_or("T", 1).expect("secs"), Duration::from_secs(12));
        assert!(v.seconds_or("N", 1).is_err());
        assert!(!v.flag_or("UNSET", false).expect("default"));
        assert_eq!(v.flag_or("F", false).expect_err("yes").name(), "F");
        assert_eq!(
            v.socket_addr_or("ADDR", "127.0.0.1:1")
                .expect_err("addr")
                .name(),
            "ADDR"
        );
        assert_eq!(
            v.socket_addr_or("UNSET", "127.0.0.1:1")
                .expect("default")
                .port(),
            1
        );
        assert_eq!(v.list("L"), vec!["a".to_string(), "b".to_string()]);
        assert!(v.list("UNSET").is_empty());
        assert!(matches!(
            v.required("UNSET"),
            Err(ConfigError::Missing("UNSET"))
        ));
        assert!(matches!(
            v.secret("UNSET", 32),
            Err(ConfigError::Missing("UNSET"))
        ));
    }
}
