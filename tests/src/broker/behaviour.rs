//! What the broker does with one instance: the [`Behaviour`] a test chooses, partial, layered
//! (`x-test` parameters over the admin registry over the defaults).

use serde::{Deserialize, Serialize};

/// How provisioning goes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProvisionMode {
    /// 202, then `in progress` for `provision-seconds`, then `succeeded`.
    #[default]
    Succeed,
    /// 202, then `in progress` for `provision-seconds`, then `failed`.
    Fail,
    /// HTTP 400 at once (nothing is created).
    Reject,
    /// HTTP 500 on every provision call (nothing is created).
    Retry,
    /// HTTP 500 on every provision call, but the cluster was created: the broker holds it (an orphan
    /// unless the platform deprovisions it), and answers a retried provision 500 again.
    Orphan,
    /// 202, then `in progress` for ever.
    Hang,
    /// 201 at once, no asynchronous operation.
    Sync,
}

/// How deprovisioning goes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DeprovisionMode {
    /// 202 and `deprovision-seconds` in progress, then gone (410); 200 at once when the seconds are 0.
    #[default]
    Succeed,
    /// HTTP 400.
    Fail,
    /// HTTP 500.
    Retry,
    /// 202, then `failed` after `deprovision-seconds` (the instance stays).
    AsyncFail,
}

/// How an update (PATCH) goes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum UpdateMode {
    #[default]
    Succeed,
    /// HTTP 400.
    Fail,
}

/// How a bind goes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BindMode {
    /// 201 with the credentials at once.
    #[default]
    Succeed,
    /// HTTP 400.
    Fail,
    /// HTTP 500.
    Retry,
    /// 202 (422 AsyncRequired without `accepts_incomplete=true`), `in progress` for `bind-seconds`, then
    /// `succeeded`; the credentials are fetched with GET binding.
    Async,
    /// 202, then `failed` (description: `message`) after `bind-seconds`.
    AsyncFail,
    /// 202, `succeeded` after `bind-seconds`, but GET binding answers 404: the credentials are lost.
    AsyncLost,
    /// 202, then `in progress` for ever (until the behaviour changes).
    Hang,
}

impl BindMode {
    /// Whether the bind answers 202 and runs as an operation.
    pub fn is_async(self) -> bool {
        matches!(
            self,
            BindMode::Async | BindMode::AsyncFail | BindMode::AsyncLost | BindMode::Hang
        )
    }
}

/// How an unbind goes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum UnbindMode {
    /// 200 at once.
    #[default]
    Succeed,
    /// HTTP 400.
    Fail,
    /// 202 (422 AsyncRequired without `accepts_incomplete=true`), `in progress` for `bind-seconds`, then
    /// `succeeded` (the binding is gone).
    Async,
    /// 202, then `failed` (description: `message`) after `bind-seconds`; the binding stays.
    AsyncFail,
}

impl UnbindMode {
    /// Whether the unbind answers 202 and runs as an operation.
    pub fn is_async(self) -> bool {
        matches!(self, UnbindMode::Async | UnbindMode::AsyncFail)
    }
}

/// One layer of behaviour: every key optional, kebab-case (camelCase accepted for the two-word keys);
/// unknown keys are refused. See the module documentation of [`crate::broker`] for the table.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Behaviour {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provision: Option<ProvisionMode>,
    #[serde(
        default,
        alias = "provisionSeconds",
        skip_serializing_if = "Option::is_none"
    )]
    pub provision_seconds: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deprovision: Option<DeprovisionMode>,
    #[serde(
        default,
        alias = "deprovisionSeconds",
        skip_serializing_if = "Option::is_none"
    )]
    pub deprovision_seconds: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update: Option<UpdateMode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bind: Option<BindMode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unbind: Option<UnbindMode>,
    #[serde(
        default,
        alias = "bindSeconds",
        skip_serializing_if = "Option::is_none"
    )]
    pub bind_seconds: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// Default seconds an asynchronous provision (or update) stays in progress.
pub const DEFAULT_PROVISION_SECONDS: f64 = 1.0;
/// Default seconds an asynchronous deprovision stays in progress.
pub const DEFAULT_DEPROVISION_SECONDS: f64 = 0.5;
/// Default seconds an asynchronous bind or unbind stays in progress.
pub const DEFAULT_BIND_SECONDS: f64 = 1.0;

impl Behaviour {
    /// Parse a layer from JSON, checking the numbers.
    pub fn from_value(v: &serde_json::Value) -> Result<Behaviour, String> {
        let b: Behaviour = serde_json::from_value(v.clone()).map_err(|e| e.to_string())?;
        for (key, s) in [
            ("provision-seconds", b.provision_seconds),
            ("deprovision-seconds", b.deprovision_seconds),
            ("bind-seconds", b.bind_seconds),
        ] {
            if let Some(s) = s
                && !(s.is_finite() && s >= 0.0)
            {
                return Err(format!("{key} must be a non-negative number, got {s}"));
            }
        }
        Ok(b)
    }

    /// This layer over `lower`: each key set here wins.
    pub fn over(&self, lower: &Behaviour) -> Behaviour {
        Behaviour {
            provision: self.provision.or(lower.provision),
            provision_seconds: self.provision_seconds.or(lower.provision_seconds),
            deprovision: self.deprovision.or(lower.deprovision),
            deprovision_seconds: self.deprovision_seconds.or(lower.deprovision_seconds),
            update: self.update.or(lower.update),
            bind: self.bind.or(lower.bind),
            unbind: self.unbind.or(lower.unbind),
            bind_seconds: self.bind_seconds.or(lower.bind_seconds),
            message: self.message.clone().or_else(|| lower.message.clone()),
        }
    }

    /// Every key filled in: this layer over the defaults.
    pub fn resolved(&self) -> Behaviour {
        Behaviour {
            provision: Some(self.provision()),
            provision_seconds: Some(self.provision_seconds()),
            deprovision: Some(self.deprovision()),
            deprovision_seconds: Some(self.deprovision_seconds()),
            update: Some(self.update()),
            bind: Some(self.bind()),
            unbind: Some(self.unbind()),
            bind_seconds: Some(self.bind_seconds()),
            message: self.message.clone(),
        }
    }

    pub fn provision(&self) -> ProvisionMode {
        self.provision.unwrap_or_default()
    }

    pub fn provision_seconds(&self) -> f64 {
        self.provision_seconds.unwrap_or(DEFAULT_PROVISION_SECONDS)
    }

    pub fn deprovision(&self) -> DeprovisionMode {
        self.deprovision.unwrap_or_default()
    }

    pub fn deprovision_seconds(&self) -> f64 {
        self.deprovision_seconds
            .unwrap_or(DEFAULT_DEPROVISION_SECONDS)
    }

    pub fn update(&self) -> UpdateMode {
        self.update.unwrap_or_default()
    }

    pub fn bind(&self) -> BindMode {
        self.bind.unwrap_or_default()
    }

    pub fn unbind(&self) -> UnbindMode {
        self.unbind.unwrap_or_default()
    }

    pub fn bind_seconds(&self) -> f64 {
        self.bind_seconds.unwrap_or(DEFAULT_BIND_SECONDS)
    }

    /// The failure description: `message`, or `default`.
    pub fn message_or(&self, default: &str) -> String {
        self.message.clone().unwrap_or_else(|| default.to_string())
    }
}
