backup('nightly') {
    sources { files('chroma') { path '/data/chroma' } }
    encrypt age: env('CARAVAN_TEST_UNSET_RECIPIENT')
    destinations { local('nas') { path '/mnt/nas' } }
}
