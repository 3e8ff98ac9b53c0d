//! `kubectl osb broker`: ask a broker itself, over the OSB API, what only it knows (docs/broker.md).
//!
//! * `broker status si/NAME|sb/NAME`: the broker's view of an instance or binding beside the catalog's,
//!   and a verdict ([`osb::broker_view`]): agree, the broker no longer has it, the broker reports a failure
//!   the catalog does not show, or the broker cannot tell (and why).
//!
//! The broker is reached as the controller reaches it ([`osb::broker`]: `spec.url`, the `authInfo`
//! Secret, `caBundle`, `X-Broker-API-Version: 2.14`); only read-only requests are sent, and no credential
//! is ever printed (binding credentials show as their keys).

use std::io::Write;

use clap::{Parser, Subcommand, ValueEnum};
use osb::broker::BrokerFlags;
use osb::client::KubeArgs;
use osb::complete::Complete;
use osb::error::{Error, Result};
use osb::kinds::{self, Kind};

/// Ask a broker itself what only it knows.
#[derive(Parser, Debug)]
#[command(name = "kubectl-osb-broker", bin_name = "kubectl osb broker", version)]
#[command(after_help = "Examples:
  # The broker's view of an instance (or a binding) beside the catalog's, with a verdict
  kubectl osb broker status si/db
  kubectl osb broker status sb/db-app -o json

  # A broker inside the cluster that needs credentials: forward a port, then
  kubectl port-forward -n brokers svc/osb 8443:443 &
  kubectl osb broker status si/db --broker-url https://127.0.0.1:8443

Only read-only OSB requests are sent (GET catalog, instance, binding, last_operation); credentials are
never printed. docs/broker.md says what is asked when, and what each verdict means.

Exit codes: 0 answered (whatever the verdict), 1 error (the object missing, its broker's Secret unreadable).")]
pub struct Args {
    #[command(subcommand)]
    pub command: Command,
    #[command(flatten)]
    pub kube: KubeArgs,
}

/// Subcommands of `broker`.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// The broker's view of an instance or binding beside the catalog's, and a verdict
    Status(StatusArgs),
}

/// `-o` of `broker` subcommands: the machine-readable forms.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Output {
    Json,
    Yaml,
}

/// Flags of `kubectl osb broker status`.
#[derive(clap::Args, Debug)]
pub struct StatusArgs {
    /// si/NAME or sb/NAME (also `instance NAME`, `binding NAME`; a bare NAME is an instance)
    #[arg(value_name = "TYPE/NAME", required = true, add = Complete::Target)]
    pub what: Vec<String>,
    /// Output format: json or yaml (default: lines to read)
    #[arg(short = 'o', long, value_enum)]
    pub output: Option<Output>,
    #[command(flatten)]
    pub broker: BrokerFlags,
}

/// Run the verb.
pub async fn run(args: Args) -> Result<()> {
    match args.command {
        Command::Status(s) => status(s, &args.kube).await,
    }
}

async fn status(args: StatusArgs, kube_args: &KubeArgs) -> Result<()> {
    let (kind, name) = kinds::parse_one(
        &args.what,
        Kind::ServiceInstance,
        &[Kind::ServiceInstance, Kind::ServiceBinding],
    )
    .map_err(Error::Usage)?
    .ok_or_else(|| Error::Usage("expected si/NAME or sb/NAME".into()))?;
    let kube = kube_args.connect().await?;
    let opts = args.broker.options(kube_args);
    let view = match kind {
        Kind::ServiceBinding => osb::broker_view::binding(&kube, &opts, &name).await,
        _ => osb::broker_view::instance(&kube, &opts, &name).await,
    }
    .map_err(|e| {
        if e.is_not_found() {
            kind.not_found(&name)
        } else {
            e
        }
    })?;
    let mut out = std::io::stdout().lock();
    print_view(&mut out, &view, args.output)
}

/// The view as lines, or as JSON / YAML.
pub fn print_view(
    out: &mut impl Write,
    view: &osb::broker_view::View,
    format: Option<Output>,
) -> Result<()> {
    let value = serde_json::to_value(view).unwrap_or(serde_json::Value::Null);
    match format {
        None => out.write_all(osb::broker_view::render(&view.lines(), "").as_bytes())?,
        Some(Output::Json) => out.write_all(osb::output::json_string(&value).as_bytes())?,
        Some(Output::Yaml) => out.write_all(osb::yaml::to_string(&value).as_bytes())?,
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_is_well_formed_and_named_as_kubectl_shows_it() {
        Args::command().debug_assert();
        let help = Args::command().render_help().to_string();
        assert!(help.contains("kubectl osb broker"), "{help}");
        let help = Args::command()
            .try_get_matches_from(["kubectl-osb-broker", "status", "--help"])
            .expect_err("help")
            .to_string();
        assert!(help.contains("Usage: kubectl osb broker status"), "{help}");
    }
}
