complete -c kubectl-osb-abandon -l older-than -d 'With --list: a deletion pending longer than this counts as stuck (e.g. 30s, 10m, 1h)' -r
complete -c kubectl-osb-abandon -l broker-url -d 'Ask the broker at this URL instead of its spec.url (e.g. a kubectl port-forward to a broker inside the cluster); its credentials and caBundle still apply' -r
complete -c kubectl-osb-abandon -l dry-run -d 'Show what would change and change nothing: client (no request) or server (requests with dryRun=All)' -r -f -a "none\t'Change for real'
client\t'Print what would be sent, send nothing'
server\t'Send every write with dryRun=All: the server validates and persists nothing'"
complete -c kubectl-osb-abandon -s o -l output -d 'Output format: table|wide|json|yaml|name for --list; name prints only the names of cleaned objects' -r -f -a "table\t'Human-readable table (default)'
wide\t'Table with extra columns'
yaml\t'YAML, one document per object'
json\t'JSON, a List when there are several objects'
name\t'kind.group/name, one per line'"
complete -c kubectl-osb-abandon -l kubeconfig -d 'Path to the kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-osb-abandon -l context -d 'The name of the kubeconfig context to use' -r
complete -c kubectl-osb-abandon -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-osb-abandon -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-osb-abandon -s n -l namespace -d 'If present, the namespace scope for this request' -r
complete -c kubectl-osb-abandon -l request-timeout -d 'How long to wait for a single API request (e.g. 10s, 1m; 0 = no limit)' -r
complete -c kubectl-osb-abandon -l chunk-size -d 'Return large lists in chunks of this many objects rather than all at once (default 500, as kubectl; 0 = one request)' -r
complete -c kubectl-osb-abandon -s s -l server -d 'The address and port of the Kubernetes API server' -r
complete -c kubectl-osb-abandon -l token -d 'Bearer token for authentication to the API server' -r
complete -c kubectl-osb-abandon -l certificate-authority -d 'Path to a cert file for the certificate authority' -r -F
complete -c kubectl-osb-abandon -l client-certificate -d 'Path to a client certificate file for TLS' -r -F
complete -c kubectl-osb-abandon -l client-key -d 'Path to a client key file for TLS' -r -F
complete -c kubectl-osb-abandon -l insecure-skip-tls-verify -d 'If true, the server\'s certificate will not be checked for validity (insecure)' -r -f -a "true\t''
false\t''"
complete -c kubectl-osb-abandon -l tls-server-name -d 'Server name to use for server certificate validation (default: the host used to contact the server)' -r
complete -c kubectl-osb-abandon -l as -d 'Username to impersonate for the operation (a user or system:serviceaccount:NAMESPACE:NAME)' -r
complete -c kubectl-osb-abandon -l as-group -d 'Group to impersonate for the operation (repeatable)' -r
complete -c kubectl-osb-abandon -l as-uid -d 'UID to impersonate for the operation' -r
complete -c kubectl-osb-abandon -l username -d 'Username for basic authentication to the API server' -r
complete -c kubectl-osb-abandon -l password -d 'Password for basic authentication to the API server' -r
complete -c kubectl-osb-abandon -l disable-compression -d 'If true, opt out of response compression for all requests to the server' -r -f -a "true\t''
false\t''"
complete -c kubectl-osb-abandon -s v -l v -d 'Log level on stderr: 6 each request (method, URL, status, latency), 7 its headers, 8 the bodies too; credentials, Secret values and sensitive parameters redacted' -r
complete -c kubectl-osb-abandon -l list -d 'List orphan candidates and why each is one; changes nothing'
complete -c kubectl-osb-abandon -s A -l all-namespaces -d 'With --list: look in every namespace'
complete -c kubectl-osb-abandon -l with-bindings -d 'Also abandon the instance\'s bindings (first) and delete the Secrets they own'
complete -c kubectl-osb-abandon -l force -d 'Abandon even a healthy object (Ready and not being deleted), or one its broker says it still holds'
complete -c kubectl-osb-abandon -l check-broker -d 'With --list: ask each candidate\'s broker too, and add its verdict as a column (docs/broker.md)'
complete -c kubectl-osb-abandon -s y -l yes -d 'Do not ask for confirmation (required when stdin is not a terminal)'
complete -c kubectl-osb-abandon -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-osb-abandon -s V -l version -d 'Print version'
