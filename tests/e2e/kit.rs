//! The test kit itself (`testkit::kit`): what a new end-to-end test looks like with it (the example of
//! `tests/README.md`), and the check every test's namespace makes at its end on the shared cluster.

use std::time::Duration;

use testkit::{env, setup};

/// The README's example: a new end-to-end test in ten lines (kept on one line per step, as written).
#[rustfmt::skip]
#[test]
fn a_bound_cassandra_hands_its_credentials_over_in_a_secret() {
    let (env, ns) = setup("kit-example");
    env.cassandra(&ns, "db").param("replicas", 3).wait();
    env.bind(&ns, "app").instance("db").wait().stderr_has("password");
    assert_eq!(env.secret_data(&ns, "app")["port"], "9042");
    env.unbind(&ns, "app").wait().stdout_has("servicebinding.servicecatalog.k8s.io/app deleted");
    env.deprovision(&ns, "db").wait();
    assert_eq!(env.broker_instance(&ns, "db").unwrap()["state"], "gone");
}

/// A test that leaves an instance the controller keeps polling fails at its end, naming it, and the
/// instance is removed so that the controller stops.
#[test]
fn a_namespace_left_with_an_endless_operation_fails_its_test_and_is_cleared() {
    let env = env();
    let name = std::thread::scope(|s| {
        s.spawn(|| {
            let ns = env
                .namespace("kit-left")
                .settle_within(Duration::from_secs(5));
            env.cassandra(&ns, "stuck")
                .param("x-test.provision", "hang")
                .run();
            env.until_jsonpath(
                "serviceinstance",
                &ns,
                "stuck",
                "{.status.asyncOpInProgress}",
                |s| s == "true",
            );
            ns.to_string()
            // The namespace's check runs here, as at the end of a test.
        })
        .join()
    });
    let err = name.expect_err("the check must fail the test");
    let message = err.downcast_ref::<String>().cloned().unwrap_or_default();
    assert!(
        message.contains("was left with objects the controller keeps working on")
            && message.contains("serviceinstance/stuck (")
            && message.contains("asyncOpInProgress: true"),
        "{message}"
    );
    // Removed by force: the controller polls it no more.
    let ns = message.split_whitespace().nth(1).unwrap_or_default();
    assert!(env.names("serviceinstances", ns).is_empty(), "{message}");
}
