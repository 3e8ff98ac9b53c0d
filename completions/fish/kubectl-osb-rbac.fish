complete -c kubectl-osb-rbac -l serviceaccount -d 'Also print the bindings granting the roles to this ServiceAccount' -r
complete -c kubectl-osb-rbac -l user -d 'Also print the bindings granting the roles to this user' -r
complete -c kubectl-osb-rbac -l group -d 'Also print the bindings granting the roles to this group' -r
complete -c kubectl-osb-rbac -s n -l namespace -d 'Namespace of the RoleBindings (default: the ServiceAccount\'s)' -r
complete -c kubectl-osb-rbac -s v -l v -d 'Log level on stderr: 6 each request (method, URL, status, latency), 7 its headers, 8 the bodies too; credentials, Secret values and sensitive parameters redacted' -r
complete -c kubectl-osb-rbac -l list -d 'List the roles, one line each, instead of printing them'
complete -c kubectl-osb-rbac -l cluster-wide -d 'Bind every role in all namespaces (ClusterRoleBindings), e.g. for get -A or abandon --list -A'
complete -c kubectl-osb-rbac -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-osb-rbac -s V -l version -d 'Print version'
