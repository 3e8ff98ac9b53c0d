//! The test broker as a process, for the shell sandbox: `osb-broker --port N [--bind 127.0.0.1]
//! [--extra CLASSESxPLANS]`.
//! Prints `listening on http://ADDR:PORT` once bound and serves until killed (or Ctrl-C).

use clap::Parser;

/// Serve the Instaclustr-like Open Service Broker (OSB API v2.13+) over plain HTTP.
#[derive(Parser, Debug)]
#[command(name = "osb-broker")]
struct Args {
    /// Port to listen on (0: a free one, printed)
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Address to bind
    #[arg(long, default_value = "127.0.0.1")]
    bind: String,
    /// Also serve generated classes `scale-NN` with plans `plan-NN-NNNN` (e.g. 10x100: 1,000 plans), for
    /// scale tests; the usual catalog is unchanged
    #[arg(long, value_name = "CLASSESxPLANS", default_value = "0",
          value_parser = testkit::broker::catalog::Extra::parse)]
    extra: testkit::broker::catalog::Extra,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    rt.block_on(async {
        let listener = tokio::net::TcpListener::bind((args.bind.as_str(), args.port))
            .await
            .map_err(|e| anyhow::anyhow!("binding {}:{}: {e}", args.bind, args.port))?;
        println!("listening on http://{}", listener.local_addr()?);
        tokio::select! {
            r = testkit::broker::serve_with(listener, args.extra) => r,
            _ = tokio::signal::ctrl_c() => Ok(()),
        }
    })
}
