//! Tauri commands: parse, call the facade, return its `{code, message}` error unchanged.
//! Each carries a span with the key id it touches; request bodies are never recorded.

pub(crate) mod admin;
pub(crate) mod connections;
pub(crate) mod export;
pub(crate) mod keys;
pub(crate) mod wrapping;

#[cfg(test)]
mod tests {
    /// A command registered with the invoke handler but missing from `build.rs` or the
    /// capability is refused at run time by Tauri's access control, and only in the real
    /// window, so the three lists are checked against each other here.
    #[test]
    fn every_registered_command_is_permitted_to_the_main_window() {
        let main = include_str!("../main.rs");
        let build = include_str!("../../build.rs");
        let capability = include_str!("../../capabilities/main.json");
        let registered: Vec<&str> = main
            .lines()
            .filter_map(|line| line.trim().strip_prefix("commands::"))
            .filter_map(|path| path.trim_end_matches(',').rsplit("::").next())
            .collect();
        assert!(registered.len() > 30, "found only {registered:?}");
        for command in registered {
            assert!(
                build.contains(&format!("\"{command}\",")),
                "{command} is registered but not listed in build.rs"
            );
            let permission = format!("\"allow-{}\"", command.replace('_', "-"));
            assert!(
                capability.contains(&permission),
                "{command} is registered but {permission} is not in capabilities/main.json"
            );
        }
    }
}
