backup('nightly') {
    schedule '0 25 * * *'
    sources { files('chroma') { path '/data/chroma' } }
    destinations { local('nas') { path '/mnt/nas' } }
}
