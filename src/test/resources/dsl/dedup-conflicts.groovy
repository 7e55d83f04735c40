backup('nightly') {
    sources { files('tree') { path '/data' } }
    encrypt passphrase: 'correct horse battery staple'
    dedup true
    incremental { fullEvery 7 }
    destinations { local('nas') { path '/mnt/nas' } }
}
