//! What an argument's value completes to, declared on the argument itself:
//! `#[arg(long, value_name = "CLASS", add = Complete::Classes)]`.
//!
//! kubectl's plugin completion (`kubectl_complete-osb`, plugins/osb/src/complete.rs) reads the tag with
//! `arg.get::<Complete>()`, never from the flag's name or value name, so renaming a flag or its `VALUE`
//! cannot silently change what it completes. An argument whose values clap already knows — a `ValueEnum`
//! or other possible values, or a file/directory `ValueHint` — needs no tag; every other argument that
//! takes a value carries one, `Complete::Nothing` included (a test in plugins/osb walks every verb).
//!
//! The tag is clap's `unstable-ext` extension data, which is why the workspace pins clap exactly.

/// What the value of a command-line argument completes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Complete {
    /// Free text nothing can suggest: a new object's name, a label, a duration, a secret key.
    Nothing,
    /// Files (the shell's own file completion).
    Files,
    /// Directories.
    Dirs,
    /// The kubeconfig file: completes files, and its value is the kubeconfig that [`Complete::Contexts`],
    /// [`Complete::Clusters`] and [`Complete::Users`] come from.
    Kubeconfig,
    /// Namespaces of the cluster; the value given is also the namespace other names are looked up in.
    Namespaces,
    /// Contexts of the kubeconfig; the value given is also the context the cluster is reached through.
    Contexts,
    /// Clusters of the kubeconfig.
    Clusters,
    /// Users of the kubeconfig.
    Users,
    /// Service classes, by external name.
    Classes,
    /// Service plans by external name: those of the class given to the argument tagged
    /// [`Complete::Classes`], else all of them.
    Plans,
    /// ClusterServiceBrokers.
    Brokers,
    /// ServiceInstances of the namespace.
    Instances,
    /// ServiceBindings of the namespace.
    Bindings,
    /// Parameter names (`-p NAME=VALUE`, then `NAME=` a schema's allowed values) from a plan's JSON
    /// Schema: the plan given to the arguments tagged [`Complete::Classes`] and [`Complete::Plans`], or the
    /// plan of the instance given to the argument tagged [`Complete::Instances`] (its binding schema).
    Params,
    /// On a switch (a flag taking no value): when given, [`Complete::Params`] completes from the plan's
    /// update schema instead of its create schema (`provision --update`).
    UpdateSchema,
    /// A kind the catalog verbs list: instances or bindings (`get KIND`).
    Kinds,
    /// A name of the kind given to the positional tagged [`Complete::Kinds`] (`get KIND NAME`).
    NameOfKind,
    /// `[KIND] NAME`: a kind, then names of it (`describe`).
    KindThenName,
    /// `TYPE/NAME…`, or `TYPE` then names, of every kind the suite waits for (`wait`).
    TypeSlashName,
    /// `INSTANCE`, `KIND NAME` or `TYPE/NAME`: instance names unless a kind is given (`abandon`).
    Target,
    /// Label keys on the objects of the kind given to the positional tagged [`Complete::Kinds`] (else on
    /// instances) in the namespace (`get -L KEY`, `-l KEY=…`).
    LabelKeys,
}

impl clap::builder::ArgExt for Complete {}

#[cfg(test)]
mod tests {
    use super::Complete;

    #[test]
    fn the_tag_travels_with_the_argument() {
        let a = clap::Arg::new("x").long("x").add(Complete::Classes);
        assert_eq!(a.get::<Complete>(), Some(&Complete::Classes));
        assert_eq!(clap::Arg::new("y").get::<Complete>(), None);
    }
}
