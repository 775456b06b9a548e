fn main() {
    lalrpop::Configuration::new()
        .set_in_dir("grammar")
        .process()
        .expect("grammar/tla.lalrpop must compile");
    println!("cargo:rerun-if-changed=grammar");
}
