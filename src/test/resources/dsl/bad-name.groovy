backup('Nightly Run') {
    sources { files('_chroma') { path '/data/chroma' } }
    destinations { local('nas') { path '/mnt/nas' } }
}
