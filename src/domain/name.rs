//! How a person's name is shown: in the order its language writes it.

use crate::search::tokens::is_cjk;

/// "Ada Lovelace" (given name first), or "张伟" (family name first, no space)
/// for names written in Chinese, Japanese or Korean characters; whichever
/// half exists when one is empty.
pub fn person_name(first: &str, last: &str) -> String {
    let (first, last) = (first.trim(), last.trim());
    match (first.is_empty(), last.is_empty()) {
        (false, false) if first.chars().chain(last.chars()).any(is_cjk) => {
            format!("{last}{first}")
        }
        (false, false) => format!("{first} {last}"),
        (false, true) => first.to_string(),
        _ => last.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::person_name;

    #[test]
    fn names_follow_their_language_order() {
        assert_eq!(person_name("Ada", "Lovelace"), "Ada Lovelace");
        assert_eq!(person_name("伟", "张"), "张伟");
        assert_eq!(person_name("晓明", "欧阳"), "欧阳晓明");
        assert_eq!(person_name("花子", "山田"), "山田花子");
        assert_eq!(person_name("Ada", ""), "Ada");
        assert_eq!(person_name("", "张"), "张");
        assert_eq!(person_name(" ", " "), "");
    }
}
