backup('nightly') {
    sources { files('docs') { path '/srv/docs' } }
    destinations {
        sftp('no-login')   { host 'h'; user 'u'; path '/b'; strictHostKeyChecking false }
        sftp('passphrase') { host 'h'; user 'u'; path '/b'; password 'pw'; privateKeyPassphrase 'x'; strictHostKeyChecking false }
        sftp('port')       { host 'h'; user 'u'; path '/b'; password 'pw'; port 0; strictHostKeyChecking false }
        sftp('hosts')      { host 'h'; user 'u'; path '/b'; password 'pw'; knownHosts '/nonexistent/known_hosts' }
    }
}
