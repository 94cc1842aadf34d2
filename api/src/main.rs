//! `bitticket-api`: serves the API on the settings from the environment (see README).
use anyhow::Context;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    bitticket_api::telemetry::init();
    let settings = bitticket_api::Settings::from_env().context("configuration")?;
    let app = bitticket_api::Application::build(settings)
        .await
        .context("start-up")?;
    tracing::info!(address = %app.address(), "listening");
    app.run_until_stopped().await.context("server")?;
    Ok(())
}
