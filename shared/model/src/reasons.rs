//! Every reason the Service Catalog controller writes, what it means and what happens next.
//!
//! Source: the reason constants of kubernetes-sigs/service-catalog v0.3.1, pkg/controller/*.go
//! (the `…Reason = "…"` constants, plus the three reasons that file set writes as literals:
//! `ClusterServiceBrokerReturnedFailure`, `ServiceBindingReturnedFailure`, `RetryBackoff`), each
//! classified by reading the code that writes it. Four more entries are condition reasons that are
//! really message constants: when a broker is deleted and deleting one of its classes or plans
//! fails, v0.3.1 passes the message constant as the condition's reason (and the reason constant as
//! the message), so the Ready condition's reason reads e.g. `Error deleting cluster service plan.`.
//!
//! A reason not in the table is unknown: [`lookup`] answers `None` and nothing is guessed.
//!
//! How the controller retries, for [`Class::Retrying`], [`Class::NeedsUser`] and [`Class::Waiting`]:
//! the reconcile returns an error and the object goes back on its work queue with exponential backoff
//! (15 quick retries, then again at every informer resync, 5 minutes by default, or whenever the
//! object changes). Broker calls for provision and update also wait out a per-instance backoff of
//! 1 s up to 20 min (the `RetryBackoff` event). Errors that follow a started operation (the calls to
//! the broker, polling, the catalog fetch) stop after `--reconciliation-retry-duration` (7 days by
//! default) with `Failed=True`, reason `ErrorReconciliationRetryTimeout`; errors found before an
//! operation starts (a missing class, unreadable parameters, bindings blocking a deprovision) are
//! retried with no such limit.
//!
//! A class describes the reason where it stands on the Ready condition (or, for event-only reasons,
//! in the event). A `Failed=True` condition is terminal whatever its reason: several reasons below
//! are retried when they stand on Ready alone, and final when the controller also set Failed=True.

/// The objects the controller writes conditions and events on. Classes and plans get none: the
/// class and plan controllers only delete entries the broker removed from its catalog.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Object {
    ClusterServiceBroker,
    ServiceBroker,
    ServiceInstance,
    ServiceBinding,
}

/// Where a reason is written: a condition with its status, or only an event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Written {
    ReadyTrue,
    ReadyFalse,
    ReadyUnknown,
    FailedTrue,
    /// The instance's `OrphanMitigation` condition (status True).
    OrphanMitigationTrue,
    /// Recorded as an Event (`kubectl get events`) that no condition carries: the only place of an
    /// event-only reason, or one path of another (ErrorPollingLastOperation on a binding).
    Event,
}

/// What a reason means for the object, and what the controller does next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    /// A request to the broker is in flight or the broker works asynchronously; the controller polls.
    InProgress,
    /// The operation finished; nothing more to do.
    Succeeded,
    /// A deprovision or unbind (or the broker's own deletion) is under way.
    Deleting,
    /// The deletion finished; the controller removes its finalizer and the object goes away.
    Deleted,
    /// An error the controller retries with backoff.
    Retrying,
    /// Retried, but it cannot succeed until the user changes something (a name, a Secret, bindings).
    NeedsUser,
    /// Retried until another object is ready (the instance of a binding).
    Waiting,
    /// Orphan mitigation: after a failed or ambiguous provision or bind the controller deletes what the
    /// broker may have created. Not a success: the object stays failed (Failed=True), or, for an
    /// instance without Failed=True, the provision is retried afterwards.
    OrphanMitigation,
    /// The controller gave up; it will not retry on its own.
    Terminal,
    /// Written only as an Event; the conditions carry another reason.
    EventOnly,
}

impl Class {
    /// Classes on which the controller keeps retrying (what `wait` reports as it happens and
    /// `--fail-on` may turn fatal).
    pub const fn retries(self) -> bool {
        matches!(self, Class::Retrying | Class::NeedsUser | Class::Waiting)
    }

    /// The class's name, as in the table.
    pub const fn as_str(self) -> &'static str {
        match self {
            Class::InProgress => "InProgress",
            Class::Succeeded => "Succeeded",
            Class::Deleting => "Deleting",
            Class::Deleted => "Deleted",
            Class::Retrying => "Retrying",
            Class::NeedsUser => "NeedsUser",
            Class::Waiting => "Waiting",
            Class::OrphanMitigation => "OrphanMitigation",
            Class::Terminal => "Terminal",
            Class::EventOnly => "EventOnly",
        }
    }
}

/// What a reason says cannot be found: an object the resource names that does not exist, or that the
/// broker removed from its catalog (`abandon --list` reports such instances as orphan candidates).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Missing {
    Class,
    Plan,
    Broker,
    /// A binding's instance.
    Instance,
}

/// One reason: the string, where it is written, its class and a plain-words explanation (lower case,
/// no final period: it is printed inside sentences).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReasonInfo {
    pub reason: &'static str,
    pub objects: &'static [Object],
    pub written: &'static [Written],
    pub class: Class,
    pub explanation: &'static str,
    /// What the reason says is missing, for reasons that name a missing object.
    pub missing: Option<Missing>,
}

impl ReasonInfo {
    /// The same entry, saying that `what` is missing.
    const fn missing(mut self, what: Missing) -> ReasonInfo {
        self.missing = Some(what);
        self
    }
}

use Class::*;
use Object::*;
use Written::*;

const SI: &[Object] = &[ServiceInstance];
const SB: &[Object] = &[ServiceBinding];
const SI_SB: &[Object] = &[ServiceInstance, ServiceBinding];
const BROKERS: &[Object] = &[ClusterServiceBroker, ServiceBroker];
const CSB: &[Object] = &[ClusterServiceBroker];
const NSB: &[Object] = &[ServiceBroker];
const ALL: &[Object] = &[
    ServiceInstance,
    ServiceBinding,
    ClusterServiceBroker,
    ServiceBroker,
];

const fn r(
    reason: &'static str,
    objects: &'static [Object],
    written: &'static [Written],
    class: Class,
    explanation: &'static str,
) -> ReasonInfo {
    ReasonInfo {
        reason,
        objects,
        written,
        class,
        explanation,
        missing: None,
    }
}

/// Every reason, grouped by object and operation.
pub const REASONS: &[ReasonInfo] = &[
    // ServiceInstance: provision.
    r(
        "ProvisionRequestInFlight",
        SI,
        &[ReadyFalse],
        InProgress,
        "the provision request is being sent to the broker; the catalog records its answer next (a retry with backoff if it fails)",
    ),
    r(
        "Provisioning",
        SI,
        &[ReadyFalse, OrphanMitigationTrue],
        InProgress,
        "the broker is provisioning the instance (asynchronous); the catalog polls until it finishes",
    ),
    r(
        "ProvisionedSuccessfully",
        SI,
        &[ReadyTrue],
        Succeeded,
        "the instance was provisioned; nothing more to do (bind to it with kubectl osb bind)",
    ),
    r(
        "ProvisionCallFailed",
        SI,
        &[ReadyFalse, FailedTrue, OrphanMitigationTrue],
        Retrying,
        "the broker refused or failed the provision; the catalog retries with backoff, \
         unless Failed=True is also set (an HTTP 400 answer, or the asynchronous provision failed)",
    ),
    r(
        "ClusterServiceBrokerReturnedFailure",
        SI,
        &[FailedTrue],
        Terminal,
        "the broker rejected the provision request (HTTP 400); the catalog does not retry: \
         delete the instance and provision again once the broker's message is dealt with",
    ),
    r(
        "ErrorCallingProvision",
        SI,
        &[ReadyFalse, OrphanMitigationTrue],
        Retrying,
        "the broker could not be reached or did not answer in time; the catalog retries \
         (after a timeout it first deprovisions a possible orphan) until the retry duration runs out",
    ),
    r(
        "StartingInstanceOrphanMitigation",
        SI,
        &[ReadyFalse, OrphanMitigationTrue],
        OrphanMitigation,
        "the provision failed in a way that may have left an instance at the broker; \
         the catalog deprovisions it first (orphan mitigation), then retries the provision with backoff \
         unless the failure was final (Failed=True)",
    ),
    r(
        "OrphanMitigationSuccessful",
        SI_SB,
        &[ReadyFalse],
        OrphanMitigation,
        "the catalog removed what a failed provision or bind may have left at the broker; not a success: \
         with Failed=True the object stays failed, otherwise the provision is retried",
    ),
    r(
        "OrphanMitigationFailed",
        SI_SB,
        &[ReadyUnknown],
        Terminal,
        "cleaning up after a failed provision or bind failed too; the catalog stops, \
         and the broker may still hold the instance or the credentials",
    ),
    // ServiceInstance: update.
    r(
        "UpdateInstanceRequestInFlight",
        SI,
        &[ReadyFalse],
        InProgress,
        "the update request is being sent to the broker; the catalog records its answer next (a retry with backoff if it fails)",
    ),
    r(
        "UpdatingInstance",
        SI,
        &[ReadyFalse],
        InProgress,
        "the broker is updating the instance (asynchronous); the catalog polls until it finishes",
    ),
    r(
        "InstanceUpdatedSuccessfully",
        SI,
        &[ReadyTrue],
        Succeeded,
        "the instance was updated; nothing more to do",
    ),
    r(
        "UpdateInstanceCallFailed",
        SI,
        &[ReadyFalse, FailedTrue],
        Retrying,
        "the broker refused or failed the update; the catalog retries with backoff, \
         unless Failed=True is also set (an HTTP 400 answer, or the asynchronous update failed)",
    ),
    r(
        "ErrorCallingUpdateInstance",
        SI,
        &[ReadyFalse, Event],
        Retrying,
        "the broker could not be reached or did not answer in time for the update; \
         the catalog retries until the retry duration runs out",
    ),
    // ServiceInstance: deprovision.
    r(
        "DeprovisionRequestInFlight",
        SI,
        &[ReadyFalse],
        Deleting,
        "the deprovision request is being sent to the broker; the catalog removes the finalizer once it succeeds",
    ),
    r(
        "Deprovisioning",
        SI,
        &[ReadyFalse],
        Deleting,
        "the broker is deprovisioning the instance (asynchronous); the catalog polls until it finishes",
    ),
    r(
        "DeprovisionedSuccessfully",
        SI,
        &[ReadyFalse],
        Deleted,
        "the instance was deprovisioned; the catalog removes its finalizer",
    ),
    r(
        "DeprovisionCallFailed",
        SI,
        &[ReadyUnknown],
        Retrying,
        "the broker failed the deprovision; the catalog retries until the retry duration runs out, \
         then gives up and leaves the instance in place",
    ),
    r(
        "DeprovisionBlockedByExistingCredentials",
        SI,
        &[ReadyFalse, ReadyUnknown],
        NeedsUser,
        "bindings still exist; unbind them before the instance can go (the catalog retries until they are gone)",
    ),
    r(
        "ServiceBindingsDeletion",
        SI,
        &[ReadyFalse],
        Deleting,
        "the catalog is deleting the instance's bindings first (CascadingDeletion), then deprovisions",
    ),
    r(
        "InvalidDeprovisionStatus",
        SI,
        &[ReadyUnknown, FailedTrue],
        Terminal,
        "status.deprovisionStatus holds a value the catalog does not know; it marks the deletion failed and stops",
    ),
    // ServiceInstance (and binding): shared errors.
    r(
        "ErrorPollingLastOperation",
        SI_SB,
        &[
            ReadyFalse,
            ReadyUnknown,
            FailedTrue,
            OrphanMitigationTrue,
            Event,
        ],
        Retrying,
        "asking the broker how the asynchronous operation is going failed; the catalog keeps polling \
         until the retry duration runs out (an HTTP 400 answer fails an instance at once)",
    ),
    r(
        "ErrorWithParameters",
        SI_SB,
        &[ReadyFalse],
        NeedsUser,
        "the parameters could not be assembled (a parametersFrom Secret or key missing, not a JSON object, \
         or a key given twice); the catalog retries until they are fixed",
    ),
    r(
        "ErrorWithOriginatingIdentity",
        SI_SB,
        &[ReadyFalse, ReadyUnknown],
        Retrying,
        "the originating-identity header could not be built from spec.userInfo; the catalog retries",
    ),
    r(
        "ErrorFindingNamespaceForInstance",
        SI_SB,
        &[ReadyFalse],
        Retrying,
        "the catalog could not read the instance's namespace; it retries",
    ),
    r(
        "ReferencesNonexistentServiceClass",
        SI_SB,
        &[ReadyFalse, ReadyUnknown],
        NeedsUser,
        "no class with that name exists; the catalog retries forever (fix the name or add the class)",
    )
    .missing(Missing::Class),
    r(
        "ReferencesNonexistentServicePlan",
        SI_SB,
        &[ReadyFalse],
        NeedsUser,
        "no plan with that name exists in the class; the catalog retries forever (fix the name or add the plan)",
    )
    .missing(Missing::Plan),
    r(
        "ReferencesNonexistentBroker",
        SI_SB,
        &[ReadyFalse, ReadyUnknown],
        NeedsUser,
        "the class's broker does not exist; the catalog retries until it does",
    )
    .missing(Missing::Broker),
    r(
        "ReferencesDeletedServiceClass",
        SI,
        &[ReadyFalse],
        NeedsUser,
        "the broker removed the class from its catalog; new instances and plan changes are refused \
         and the catalog retries (choose another class)",
    )
    .missing(Missing::Class),
    r(
        "ReferencesDeletedServicePlan",
        SI,
        &[ReadyFalse],
        NeedsUser,
        "the broker removed the plan from its catalog; new instances and changes to it are refused \
         and the catalog retries (choose another plan)",
    )
    .missing(Missing::Plan),
    r(
        "RetryBackoff",
        SI,
        &[Event],
        EventOnly,
        "the catalog waits out its backoff (1 s, doubling up to 20 min) before it retries a failed provision or update; \
         the event says when the next attempt is",
    ),
    // ServiceBinding: bind.
    r(
        "BindingRequestInFlight",
        SB,
        &[ReadyFalse],
        InProgress,
        "the bind request is being sent to the broker; the catalog writes the credentials to the Secret next",
    ),
    r(
        "Binding",
        SB,
        &[ReadyFalse],
        InProgress,
        "the broker is creating the credentials (asynchronous); the catalog polls until it finishes",
    ),
    r(
        "InjectedBindResult",
        SB,
        &[ReadyTrue],
        Succeeded,
        "the credentials were written to the binding's Secret; nothing more to do (map them with kubectl osb bind env)",
    ),
    r(
        "BindCallFailed",
        SB,
        &[ReadyFalse, FailedTrue],
        Retrying,
        "the bind call failed; a connection error is retried until the retry duration runs out, \
         but with Failed=True (an error answer, a timeout, a failed asynchronous bind) delete and recreate the binding",
    ),
    r(
        "ServiceBindingReturnedFailure",
        SB,
        &[FailedTrue],
        Terminal,
        "the broker refused the binding; the catalog does not retry: delete and recreate it",
    ),
    r(
        "ErrorInjectingBindResult",
        SB,
        &[ReadyFalse, FailedTrue],
        Retrying,
        "the credentials could not be written to the Secret (e.g. a Secret of that name not owned by the binding); \
         the catalog retries until the retry duration runs out (after an asynchronous bind it fails at once)",
    ),
    r(
        "FetchingBindingFailed",
        SB,
        &[ReadyFalse, FailedTrue],
        Terminal,
        "the credentials of an asynchronous bind could not be fetched from the broker; \
         the binding fails and the catalog unbinds (orphan mitigation)",
    ),
    r(
        "AsyncOperationTimeout",
        SB,
        &[ReadyFalse, ReadyUnknown],
        Terminal,
        "the asynchronous bind or unbind did not finish within the retry duration; \
         the catalog gives up (Failed=True, ErrorReconciliationRetryTimeout)",
    ),
    r(
        "ErrorNonbindableServiceClass",
        SB,
        &[ReadyFalse, FailedTrue],
        Terminal,
        "the instance's class and plan are not bindable; the catalog does not retry",
    ),
    r(
        "ErrorInstanceRefsUnresolved",
        SB,
        &[ReadyFalse],
        Waiting,
        "the instance's class and plan are not resolved yet; binding waits",
    ),
    r(
        "ErrorInstanceNotReady",
        SB,
        &[ReadyFalse],
        Waiting,
        "the instance is not ready yet; binding waits",
    ),
    r(
        "ReferencesNonexistentInstance",
        SB,
        &[ReadyFalse],
        NeedsUser,
        "the binding's instance does not exist; the catalog retries",
    )
    .missing(Missing::Instance),
    r(
        "ServiceBindingNeedsOrphanMitigation",
        SB,
        &[ReadyFalse],
        OrphanMitigation,
        "the bind failed in a way that may have left credentials at the broker; \
         the catalog unbinds them (orphan mitigation) and the binding stays failed",
    ),
    // ServiceBinding: unbind.
    r(
        "UnbindingRequestInFlight",
        SB,
        &[ReadyFalse],
        Deleting,
        "the unbind request is being sent to the broker; the catalog removes the finalizer once it succeeds",
    ),
    r(
        "Unbinding",
        SB,
        &[ReadyFalse],
        Deleting,
        "the broker is removing the credentials (asynchronous); the catalog polls until it finishes",
    ),
    r(
        "UnboundSuccessfully",
        SB,
        &[ReadyFalse],
        Deleted,
        "the credentials were removed; the catalog removes the binding's finalizer",
    ),
    r(
        "UnbindCallFailed",
        SB,
        &[ReadyUnknown],
        Retrying,
        "the broker failed the unbind; the catalog retries until the retry duration runs out, \
         then gives up and leaves the binding in place",
    ),
    r(
        "ErrorEjectingServiceBinding",
        SB,
        &[ReadyFalse],
        Retrying,
        "the binding's Secret could not be deleted during the unbind; the catalog retries",
    ),
    r(
        "ErrorAsyncOperationInProgress",
        SB,
        &[ReadyFalse],
        Waiting,
        "the instance has an asynchronous operation running; the unbind waits for it",
    ),
    // Brokers.
    r(
        "FetchedCatalog",
        BROKERS,
        &[ReadyTrue],
        Succeeded,
        "the broker's catalog was fetched; nothing more to do until the next relist",
    ),
    r(
        "ErrorFetchingCatalog",
        BROKERS,
        &[ReadyFalse],
        Retrying,
        "the broker's catalog (or its credentials Secret) could not be fetched; \
         the catalog retries until the retry duration runs out",
    ),
    r(
        "ErrorSyncingCatalog",
        BROKERS,
        &[ReadyFalse],
        Retrying,
        "the broker's catalog was fetched but could not be stored as classes and plans; the catalog retries",
    ),
    r(
        "ErrorGettingAuthCredentials",
        BROKERS,
        &[Event],
        EventOnly,
        "the broker's credentials Secret could not be read or its client built; \
         the condition says ErrorFetchingCatalog and the catalog retries",
    ),
    r(
        "ErrorListingClusterServiceClasses",
        CSB,
        &[ReadyUnknown],
        Retrying,
        "the broker's existing classes could not be listed; the catalog retries",
    ),
    r(
        "ErrorListingClusterServicePlans",
        CSB,
        &[ReadyUnknown],
        Retrying,
        "the broker's existing plans could not be listed; the catalog retries",
    ),
    r(
        "ErrorListingServiceClasses",
        NSB,
        &[ReadyUnknown],
        Retrying,
        "the broker's existing classes could not be listed; the catalog retries",
    ),
    r(
        "ErrorListingServicePlans",
        NSB,
        &[ReadyUnknown],
        Retrying,
        "the broker's existing plans could not be listed; the catalog retries",
    ),
    r(
        "ErrorDeletingClusterServiceClass",
        CSB,
        &[Event],
        EventOnly,
        "a class of the broker being deleted could not be deleted; the catalog retries",
    ),
    r(
        "ErrorDeletingClusterServicePlan",
        CSB,
        &[Event],
        EventOnly,
        "a plan of the broker being deleted could not be deleted; the catalog retries",
    ),
    r(
        "ErrorDeletingServiceClass",
        NSB,
        &[Event],
        EventOnly,
        "a class of the broker being deleted could not be deleted; the catalog retries",
    ),
    r(
        "ErrorDeletingServicePlan",
        NSB,
        &[Event],
        EventOnly,
        "a plan of the broker being deleted could not be deleted; the catalog retries",
    ),
    // The message constants v0.3.1 writes as the Ready reason when the two above fail (swapped arguments).
    r(
        "Error deleting cluster service class.",
        CSB,
        &[ReadyUnknown],
        Retrying,
        "a class of the broker being deleted could not be deleted; the catalog retries",
    ),
    r(
        "Error deleting cluster service plan.",
        CSB,
        &[ReadyUnknown],
        Retrying,
        "a plan of the broker being deleted could not be deleted; the catalog retries",
    ),
    r(
        "Error deleting service class.",
        NSB,
        &[ReadyUnknown],
        Retrying,
        "a class of the broker being deleted could not be deleted; the catalog retries",
    ),
    r(
        "Error deleting service plan.",
        NSB,
        &[ReadyUnknown],
        Retrying,
        "a plan of the broker being deleted could not be deleted; the catalog retries",
    ),
    r(
        "DeletedClusterServiceBrokerSuccessfully",
        CSB,
        &[ReadyFalse],
        Deleted,
        "the broker's classes and plans were deleted; the catalog removes its finalizer",
    ),
    r(
        "DeletedSuccessfully",
        NSB,
        &[ReadyFalse],
        Deleted,
        "the broker's classes and plans were deleted; the catalog removes its finalizer",
    ),
    // Every kind.
    r(
        "ErrorReconciliationRetryTimeout",
        ALL,
        &[ReadyFalse, FailedTrue],
        Terminal,
        "the catalog gave up retrying: --reconciliation-retry-duration (7 days by default) ran out \
         (a broker is still fetched again at the next resync)",
    ),
];

/// The entry for `reason`, or `None` for a reason the controller does not write.
pub fn lookup(reason: &str) -> Option<&'static ReasonInfo> {
    REASONS.iter().find(|r| r.reason == reason)
}

/// The plain words for a reason the Service Catalog controller writes, for describe and wait output;
/// `None` for one it does not write.
pub fn explain(reason: &str) -> Option<&'static str> {
    lookup(reason).map(|r| r.explanation)
}

/// The explanation of `reason` for people: its plain words, or an honest "unknown" for a reason the
/// controller v0.3.1 does not write (a newer controller, another controller): never a guess.
pub fn explain_or_unknown(reason: &str) -> String {
    match lookup(reason) {
        Some(r) => r.explanation.to_string(),
        None => "unknown reason: not one the Service Catalog controller v0.3.1 writes; \
                 kubectl-osb cannot say what happens next"
            .to_string(),
    }
}

/// What `reason` says cannot be found ([`Missing`]), or `None` (also for an unknown reason).
pub fn missing(reason: &str) -> Option<Missing> {
    lookup(reason).and_then(|r| r.missing)
}

/// The event reasons that record one failed call to a broker (the controller writes one Warning event per
/// attempt, aggregated by its count): what `--fail-after-retries` counts.
pub const BROKER_CALL_FAILED: &[&str] = &[
    "ProvisionCallFailed",
    "ErrorCallingProvision",
    "UpdateInstanceCallFailed",
    "ErrorCallingUpdateInstance",
    "DeprovisionCallFailed",
    "BindCallFailed",
    "UnbindCallFailed",
    "ErrorPollingLastOperation",
];

/// The class of `reason`, or `None` when unknown.
pub fn class(reason: &str) -> Option<Class> {
    lookup(reason).map(|r| r.class)
}

const fn retrying_count() -> usize {
    let mut n = 0;
    let mut i = 0;
    while i < REASONS.len() {
        if REASONS[i].class.retries() {
            n += 1;
        }
        i += 1;
    }
    n
}

const RETRYING_LEN: usize = retrying_count();

const RETRYING_ARRAY: [&str; RETRYING_LEN] = {
    let mut out = [""; RETRYING_LEN];
    let (mut i, mut n) = (0, 0);
    while i < REASONS.len() {
        if REASONS[i].class.retries() {
            out[n] = REASONS[i].reason;
            n += 1;
        }
        i += 1;
    }
    out
};

/// The reasons whose class retries ([`Class::retries`]), in table order, computed at compile time.
pub const RETRYING: &[&str] = &RETRYING_ARRAY;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_come_from_the_controller_table() {
        // The wording the describe snapshots show, and the reasons retried before the table existed.
        assert_eq!(
            explain("ProvisionedSuccessfully"),
            Some(
                "the instance was provisioned; nothing more to do (bind to it with kubectl osb bind)"
            )
        );
        assert_eq!(
            explain("InjectedBindResult"),
            Some(
                "the credentials were written to the binding's Secret; nothing more to do \
                 (map them with kubectl osb bind env)"
            )
        );
        assert_eq!(explain("NoSuchReason"), None);
        for r in [
            "ReferencesNonexistentServiceClass",
            "ReferencesNonexistentServicePlan",
            "ReferencesNonexistentBroker",
            "ReferencesDeletedServiceClass",
            "ReferencesDeletedServicePlan",
            "ReferencesNonexistentInstance",
            "ErrorWithParameters",
            "ErrorCallingProvision",
            "ProvisionCallFailed",
            "ErrorInstanceNotReady",
            "ErrorInstanceRefsUnresolved",
            "DeprovisionBlockedByExistingCredentials",
            "DeprovisionCallFailed",
            "UnbindCallFailed",
            "ErrorFetchingCatalog",
            "ErrorSyncingCatalog",
            "ErrorAsyncOperationInProgress",
        ] {
            assert!(RETRYING.contains(&r), "{r}");
            assert!(explain(r).is_some(), "{r}");
        }
        for r in [
            "ProvisionedSuccessfully",
            "OrphanMitigationSuccessful",
            "ClusterServiceBrokerReturnedFailure",
        ] {
            assert!(!RETRYING.contains(&r), "{r}");
        }
    }

    /// Copied from kubernetes-sigs/service-catalog v0.3.1, pkg/controller/*.go (not *_test.go), with:
    ///
    /// ```sh
    /// cd "$(go env GOMODCACHE)/github.com/kubernetes-sigs/service-catalog@v0.3.1/pkg/controller"
    /// F=$(ls *.go | grep -v _test.go)
    /// # the string constants (…Reason string = "…"; every single-word CamelCase value):
    /// grep -hoE '^\s*[a-zA-Z]+\s+string\s*=\s*"[A-Z][A-Za-z]*"\s*$' $F | sed -E 's/.*"(.*)"/\1/' | sort -u
    /// # the reasons written as literals in Event/Condition calls:
    /// grep -hoE '(Event|Condition)\([^"]*"[A-Z][A-Za-z]*"' $F | grep -oE '"[A-Z][A-Za-z]*"' | tr -d '"' | sort -u
    /// ```
    ///
    /// 62 constants + 3 literals (ClusterServiceBrokerReturnedFailure, RetryBackoff,
    /// ServiceBindingReturnedFailure) = 65.
    const CONTROLLER_REASONS: &[&str] = &[
        "AsyncOperationTimeout",
        "BindCallFailed",
        "Binding",
        "BindingRequestInFlight",
        "ClusterServiceBrokerReturnedFailure",
        "DeletedClusterServiceBrokerSuccessfully",
        "DeletedSuccessfully",
        "DeprovisionBlockedByExistingCredentials",
        "DeprovisionCallFailed",
        "DeprovisionRequestInFlight",
        "DeprovisionedSuccessfully",
        "Deprovisioning",
        "ErrorAsyncOperationInProgress",
        "ErrorCallingProvision",
        "ErrorCallingUpdateInstance",
        "ErrorDeletingClusterServiceClass",
        "ErrorDeletingClusterServicePlan",
        "ErrorDeletingServiceClass",
        "ErrorDeletingServicePlan",
        "ErrorEjectingServiceBinding",
        "ErrorFetchingCatalog",
        "ErrorFindingNamespaceForInstance",
        "ErrorGettingAuthCredentials",
        "ErrorInjectingBindResult",
        "ErrorInstanceNotReady",
        "ErrorInstanceRefsUnresolved",
        "ErrorListingClusterServiceClasses",
        "ErrorListingClusterServicePlans",
        "ErrorListingServiceClasses",
        "ErrorListingServicePlans",
        "ErrorNonbindableServiceClass",
        "ErrorPollingLastOperation",
        "ErrorReconciliationRetryTimeout",
        "ErrorSyncingCatalog",
        "ErrorWithOriginatingIdentity",
        "ErrorWithParameters",
        "FetchedCatalog",
        "FetchingBindingFailed",
        "InjectedBindResult",
        "InstanceUpdatedSuccessfully",
        "InvalidDeprovisionStatus",
        "OrphanMitigationFailed",
        "OrphanMitigationSuccessful",
        "ProvisionCallFailed",
        "ProvisionRequestInFlight",
        "ProvisionedSuccessfully",
        "Provisioning",
        "ReferencesDeletedServiceClass",
        "ReferencesDeletedServicePlan",
        "ReferencesNonexistentBroker",
        "ReferencesNonexistentInstance",
        "ReferencesNonexistentServiceClass",
        "ReferencesNonexistentServicePlan",
        "RetryBackoff",
        "ServiceBindingNeedsOrphanMitigation",
        "ServiceBindingReturnedFailure",
        "ServiceBindingsDeletion",
        "StartingInstanceOrphanMitigation",
        "UnbindCallFailed",
        "Unbinding",
        "UnbindingRequestInFlight",
        "UnboundSuccessfully",
        "UpdateInstanceCallFailed",
        "UpdateInstanceRequestInFlight",
        "UpdatingInstance",
    ];

    /// The `error…Message` constants of controller_clusterservicebroker.go / controller_servicebroker.go
    /// that v0.3.1 passes as the condition reason when deleting a broker's classes or plans fails.
    const SWAPPED_MESSAGE_REASONS: &[&str] = &[
        "Error deleting cluster service class.",
        "Error deleting cluster service plan.",
        "Error deleting service class.",
        "Error deleting service plan.",
    ];

    #[test]
    fn every_controller_reason_has_an_entry() {
        assert_eq!(CONTROLLER_REASONS.len(), 65);
        let missing: Vec<&str> = CONTROLLER_REASONS
            .iter()
            .chain(SWAPPED_MESSAGE_REASONS)
            .copied()
            .filter(|r| lookup(r).is_none())
            .collect();
        assert!(missing.is_empty(), "no entry for {missing:?}");
    }

    #[test]
    fn the_table_holds_nothing_the_controller_does_not_write() {
        let invented: Vec<&str> = REASONS
            .iter()
            .map(|r| r.reason)
            .filter(|r| !CONTROLLER_REASONS.contains(r) && !SWAPPED_MESSAGE_REASONS.contains(r))
            .collect();
        assert!(invented.is_empty(), "not in v0.3.1: {invented:?}");
        assert_eq!(
            REASONS.len(),
            CONTROLLER_REASONS.len() + SWAPPED_MESSAGE_REASONS.len()
        );
    }

    #[test]
    fn no_duplicates() {
        for (i, a) in REASONS.iter().enumerate() {
            assert!(
                REASONS[i + 1..].iter().all(|b| b.reason != a.reason),
                "{} twice",
                a.reason
            );
        }
        for (i, a) in CONTROLLER_REASONS.iter().enumerate() {
            assert!(!CONTROLLER_REASONS[i + 1..].contains(a), "{a} twice");
        }
    }

    #[test]
    fn entries_are_complete_and_worded_for_inline_use() {
        for e in REASONS {
            assert!(!e.objects.is_empty(), "{}: no object", e.reason);
            assert!(!e.written.is_empty(), "{}: written nowhere", e.reason);
            assert_eq!(
                e.class == EventOnly,
                e.written == [Event],
                "{}: event-only class and placement disagree",
                e.reason
            );
            let x = e.explanation;
            assert!(
                !x.is_empty() && !x.ends_with('.') && x.starts_with(|c: char| c.is_lowercase()),
                "{}: {x:?}",
                e.reason
            );
            assert!(!x.contains("  "), "{}: {x:?}", e.reason);
        }
    }

    /// Every explanation says what happens next: the catalog retries, polls, waits, stops, removes a
    /// finalizer, or there is nothing more to do.
    #[test]
    fn every_explanation_says_what_happens_next() {
        let next = [
            "retr",
            "polls",
            "stops",
            "gives up",
            "wait",
            "removes",
            "nothing more",
            "deletes",
            "deprovisions",
            "unbinds",
            "next",
            "does not",
        ];
        for e in REASONS {
            assert!(
                next.iter().any(|w| e.explanation.contains(w)),
                "{}: {:?} does not say what happens next",
                e.reason,
                e.explanation
            );
        }
        assert!(explain_or_unknown("SomethingNew").starts_with("unknown reason"));
        for r in BROKER_CALL_FAILED {
            assert!(lookup(r).is_some(), "{r}");
        }
    }

    #[test]
    fn classification_spot_checks() {
        assert_eq!(class("ProvisionCallFailed"), Some(Retrying));
        assert_eq!(class("OrphanMitigationSuccessful"), Some(OrphanMitigation));
        assert_eq!(class("ProvisionedSuccessfully"), Some(Succeeded));
        assert_eq!(class("ClusterServiceBrokerReturnedFailure"), Some(Terminal));
        assert_eq!(class("ReferencesNonexistentServiceClass"), Some(NeedsUser));
        assert_eq!(class("ErrorInstanceNotReady"), Some(Waiting));
        assert_eq!(class("Deprovisioning"), Some(Deleting));
        assert_eq!(class("UnboundSuccessfully"), Some(Deleted));
        assert_eq!(class("RetryBackoff"), Some(EventOnly));
        assert_eq!(class("ErrorGettingAuthCredentials"), Some(EventOnly));
        assert!(!OrphanMitigation.retries() && !Succeeded.retries() && Retrying.retries());
        let e = lookup("OrphanMitigationSuccessful").expect("known");
        assert_eq!(e.objects, [ServiceInstance, ServiceBinding]);
        assert_eq!(e.written, [ReadyFalse]);
    }

    #[test]
    fn the_reasons_naming_a_missing_object_say_which() {
        let named: Vec<(&str, Missing)> = REASONS
            .iter()
            .filter_map(|r| r.missing.map(|m| (r.reason, m)))
            .collect();
        assert_eq!(
            named,
            [
                ("ReferencesNonexistentServiceClass", Missing::Class),
                ("ReferencesNonexistentServicePlan", Missing::Plan),
                ("ReferencesNonexistentBroker", Missing::Broker),
                ("ReferencesDeletedServiceClass", Missing::Class),
                ("ReferencesDeletedServicePlan", Missing::Plan),
                ("ReferencesNonexistentInstance", Missing::Instance),
            ]
        );
        // The catalog retries every one of them until the user changes something.
        for (r, _) in &named {
            assert_eq!(class(r), Some(NeedsUser), "{r}");
        }
        assert_eq!(missing("ProvisionCallFailed"), None);
        assert_eq!(missing("Whatever"), None);
    }

    #[test]
    fn unknown_reasons_stay_unknown() {
        for r in [
            "",
            "Ready",
            "ProvisionedSuccessfuly",
            "provisionedsuccessfully",
            "Whatever",
        ] {
            assert!(lookup(r).is_none(), "{r}");
            assert!(class(r).is_none(), "{r}");
        }
    }

    #[test]
    fn the_retrying_list_is_the_retrying_classes() {
        let expected: Vec<&str> = REASONS
            .iter()
            .filter(|r| r.class.retries())
            .map(|r| r.reason)
            .collect();
        assert_eq!(RETRYING, expected.as_slice());
        assert!(!RETRYING.contains(&""));
    }
}
