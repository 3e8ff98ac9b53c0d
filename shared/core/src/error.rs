//! One error type for every verb, and the one place that renders it kubectl's way and picks the exit code.
//!
//! | code | meaning |
//! |------|---------|
//! | 0    | success |
//! | 1    | error: API, input, not found, refused |
//! | 2    | usage: unknown flag, missing argument (clap) |
//! | 3    | a resource reached a terminal failure (Failed condition, failed Job, failed deprovision) |
//! | 4    | timed out |
//! | 130  | interrupted (Ctrl-C) |

use std::fmt::Write as _;
use std::sync::OnceLock;

/// Exit codes shared by every `kubectl osb` verb.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Exit {
    Success = 0,
    Error = 1,
    Usage = 2,
    Terminal = 3,
    Timeout = 4,
    Interrupted = 130,
}

impl From<Exit> for std::process::ExitCode {
    fn from(e: Exit) -> Self {
        std::process::ExitCode::from(e as u8)
    }
}

/// Everything a verb can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An API call failed: rendered as `Error from server (Reason): message`, or as a connection error.
    #[error("{0}")]
    Kube(#[from] kube::Error),
    /// A permission is missing, found before anything was changed (the check before a write, `rbac::preflight`): the
    /// message is complete (`Error from server (Forbidden): …` and what grants it); exit 1.
    #[error("{0}")]
    Forbidden(String),
    /// An object that does not exist, found so by us (a list or a watch without it, a read that came back
    /// empty), in kubectl's words: `Error from server (NotFound): serviceinstances.servicecatalog.k8s.io
    /// "db" not found`, then what to do instead, if anything. Build it with [`not_found`]; exit 1.
    #[error("Error from server (NotFound): {resource} \"{name}\" not found{next}")]
    NotFound {
        /// kubectl's spelling of the resource: `plural.group` (`deployments.apps`), `plural` for the
        /// core group (`pods`).
        resource: String,
        name: String,
        /// `; …` after the message (see [`Error::then`]), or empty.
        next: String,
    },
    /// The kubeconfig or in-cluster configuration could not be loaded.
    #[error("{0}")]
    Config(String),
    /// Bad input from the user (a flag value, a file): exit 1.
    #[error("{0}")]
    Input(String),
    /// Bad usage that clap could not catch (mutually exclusive values, …): exit 2. `cli` adds the
    /// "See 'kubectl osb VERB --help'" line: it knows which verb is running.
    #[error("{0}")]
    Usage(String),
    /// A resource reached a terminal failure: exit 3.
    #[error("{0}")]
    Terminal(String),
    /// A wait ran out of time: exit 4.
    #[error("{0}")]
    Timeout(String),
    /// Ctrl-C: exit 130, nothing printed.
    #[error("interrupted")]
    Interrupted,
    /// Writing to stdout/stderr failed (a broken pipe is a normal exit).
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// Anything else, with context.
    #[error("{0:#}")]
    Other(#[from] anyhow::Error),
}

/// Shorthand used by every verb.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Build an [`Error::Input`] with `format!` syntax.
#[macro_export]
macro_rules! input_err {
    ($($arg:tt)*) => { $crate::error::Error::Input(format!($($arg)*)) };
}

static SERVER: OnceLock<String> = OnceLock::new();

/// Remember the API server URL so that connection errors can name it, as kubectl does.
pub fn set_server(url: &str) {
    let _ = SERVER.set(url.to_string());
}

impl Error {
    /// The exit code this error ends the process with.
    pub fn exit(&self) -> Exit {
        match self {
            Error::Usage(..) => Exit::Usage,
            Error::Terminal(_) => Exit::Terminal,
            Error::Timeout(_) => Exit::Timeout,
            Error::Interrupted => Exit::Interrupted,
            Error::Io(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Exit::Success,
            _ => Exit::Error,
        }
    }

    /// True for a 403 from the API server, or a permission found missing before a write.
    pub fn is_forbidden(&self) -> bool {
        matches!(self, Error::Forbidden(_))
            || matches!(self, Error::Kube(kube::Error::Api(s)) if s.code == 403)
    }

    /// The API server's own words when it refused a request (403), for a layer that knows the roles to
    /// explain (`cli::render` adds what is missing and which shipped role grants it).
    pub fn forbidden_message(&self) -> Option<&str> {
        match self {
            Error::Kube(kube::Error::Api(s)) if s.code == 403 => Some(&s.message),
            _ => None,
        }
    }

    /// True for a 404 from the API server, or an object we found missing ([`not_found`]).
    pub fn is_not_found(&self) -> bool {
        matches!(self, Error::NotFound { .. })
            || matches!(self, Error::Kube(kube::Error::Api(s)) if s.code == 404)
    }

    /// A NotFound error with what to do instead after its message (`; to give a new Job …`); any
    /// other error unchanged.
    pub fn then(self, what: &str) -> Error {
        match self {
            Error::NotFound {
                resource,
                name,
                next,
            } => Error::NotFound {
                resource,
                name,
                next: format!("{next}; {what}"),
            },
            other => other,
        }
    }

    /// The message as kubectl would print it, without a trailing newline; `None` when nothing is printed.
    /// A 403 is rendered as the server said it; `cli::render` adds the RBAC explanation.
    pub fn render(&self) -> Option<String> {
        match self {
            Error::Interrupted => None,
            Error::Io(e) if e.kind() == std::io::ErrorKind::BrokenPipe => None,
            Error::Kube(e) => Some(render_kube(e)),
            other => Some(prefix_error(&other.to_string())),
        }
    }
}

fn prefix_error(msg: &str) -> String {
    if msg.starts_with("error: ") || msg.starts_with("Error from server") {
        msg.to_string()
    } else {
        format!("error: {msg}")
    }
}

/// kubectl's `StandardErrorMessage`, for kube-rs errors.
pub fn render_kube(e: &kube::Error) -> String {
    match e {
        kube::Error::Api(status) => {
            let reason = if status.reason.is_empty() {
                "Unknown".to_string()
            } else {
                status.reason.clone()
            };
            if status.code == 401 {
                return format!(
                    "error: You must be logged in to the server ({})",
                    status.message
                );
            }
            format!("Error from server ({reason}): {}", status.message)
        }
        other => {
            let mut chain = String::new();
            let mut src: Option<&dyn std::error::Error> = Some(other);
            while let Some(s) = src {
                let _ = write!(chain, "{s}: ");
                src = s.source();
            }
            let chain = chain.trim_end_matches(": ").to_string();
            let server = SERVER.get().map(String::as_str).unwrap_or("");
            let host = server
                .trim_start_matches("https://")
                .trim_start_matches("http://");
            if chain.contains("Connection refused") || chain.contains("connection refused") {
                format!(
                    "The connection to the server {host} was refused - did you specify the right host or port?"
                )
            } else {
                format!("Unable to connect to the server: {chain}")
            }
        }
    }
}

/// kubectl's NotFound error for `name` of `resource` (`serviceinstances.servicecatalog.k8s.io`, or
/// `pods` for the core group): `Error from server (NotFound): serviceinstances.servicecatalog.k8s.io
/// "db" not found`. [`Error::is_not_found`] answers true for it, as for the server's own 404.
pub fn not_found(resource: &str, name: &str) -> Error {
    Error::NotFound {
        resource: resource.to_string(),
        name: name.to_string(),
        next: String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_errors_render_like_kubectl() {
        let status = kube::core::Status::failure(
            "serviceinstances.servicecatalog.k8s.io \"db\" not found",
            "NotFound",
        )
        .with_code(404);
        let e = Error::Kube(kube::Error::Api(Box::new(status)));
        assert_eq!(
            e.render().as_deref(),
            Some(
                "Error from server (NotFound): serviceinstances.servicecatalog.k8s.io \"db\" not found"
            )
        );
        assert!(e.is_not_found());
        assert_eq!(e.exit(), Exit::Error);
    }

    #[test]
    fn a_forbidden_error_is_rendered_as_the_server_said_it_and_hands_its_words_on() {
        let msg = "servicebindings.servicecatalog.k8s.io is forbidden: User \"ci\" cannot delete resource \"servicebindings\" in API group \"servicecatalog.k8s.io\" in the namespace \"dev\"";
        let status = kube::core::Status::failure(msg, "Forbidden").with_code(403);
        let e = Error::Kube(kube::Error::Api(Box::new(status)));
        assert_eq!(
            e.render(),
            Some(format!("Error from server (Forbidden): {msg}"))
        );
        assert_eq!(e.forbidden_message(), Some(msg));
        assert!(e.is_forbidden());
        assert_eq!(e.exit(), Exit::Error);
        assert_eq!(Error::Forbidden("x".into()).exit(), Exit::Error);
        assert_eq!(Error::Forbidden("x".into()).forbidden_message(), None);
    }

    #[test]
    fn our_not_found_is_kubectls_and_says_it_is_not_found() {
        let e = not_found("serviceinstances.servicecatalog.k8s.io", "db");
        let server = Error::Kube(kube::Error::Api(Box::new(
            kube::core::Status::failure(
                "serviceinstances.servicecatalog.k8s.io \"db\" not found",
                "NotFound",
            )
            .with_code(404),
        )));
        assert_eq!(e.render(), server.render());
        assert_eq!(
            e.to_string(),
            "Error from server (NotFound): serviceinstances.servicecatalog.k8s.io \"db\" not found"
        );
        assert!(e.is_not_found() && server.is_not_found());
        assert_eq!(e.exit(), Exit::Error);
        assert!(!Error::Input("x not found".into()).is_not_found());
        let job = not_found("jobs.batch", "j").then("create it from its manifest");
        assert_eq!(
            job.render().as_deref(),
            Some(
                "Error from server (NotFound): jobs.batch \"j\" not found; create it from its manifest"
            )
        );
        assert!(job.is_not_found());
        assert_eq!(
            Error::Input("x".into()).then("y").to_string(),
            "x",
            "only a NotFound takes a next step"
        );
    }

    #[test]
    fn exit_codes_follow_the_table() {
        assert_eq!(Error::Terminal("x".into()).exit(), Exit::Terminal);
        assert_eq!(Error::Timeout("x".into()).exit(), Exit::Timeout);
        assert_eq!(Error::Interrupted.exit(), Exit::Interrupted);
        assert_eq!(Error::Usage("x".into()).exit(), Exit::Usage);
        let pipe = Error::Io(std::io::Error::from(std::io::ErrorKind::BrokenPipe));
        assert_eq!(pipe.exit(), Exit::Success);
        assert_eq!(pipe.render(), None);
        assert_eq!(
            Error::Input("bad".into()).render().as_deref(),
            Some("error: bad")
        );
    }
}
