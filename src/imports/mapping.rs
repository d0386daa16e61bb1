//! Which contact field each CSV column fills: the vocabulary, the guess from
//! header names, and the mapping as stored.

use crate::i18n::{Locale, key};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    FirstName,
    LastName,
    FullName,
    Email,
    Phone,
    Title,
    Company,
    Address,
    City,
    Country,
    Lifecycle,
    Consent,
    Tags,
    Source,
    Ignore,
}

impl Target {
    pub const ALL: [Target; 15] = [
        Target::FirstName,
        Target::LastName,
        Target::FullName,
        Target::Email,
        Target::Phone,
        Target::Title,
        Target::Company,
        Target::Address,
        Target::City,
        Target::Country,
        Target::Lifecycle,
        Target::Consent,
        Target::Tags,
        Target::Source,
        Target::Ignore,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Target::FirstName => "first_name",
            Target::LastName => "last_name",
            Target::FullName => "full_name",
            Target::Email => "email",
            Target::Phone => "phone",
            Target::Title => "title",
            Target::Company => "company",
            Target::Address => "address",
            Target::City => "city",
            Target::Country => "country",
            Target::Lifecycle => "lifecycle",
            Target::Consent => "consent",
            Target::Tags => "tags",
            Target::Source => "source",
            Target::Ignore => "ignore",
        }
    }

    /// The message key of the field's name.
    pub fn label_key(self) -> &'static str {
        match self {
            Target::FirstName => key("import-target-first_name"),
            Target::LastName => key("import-target-last_name"),
            Target::FullName => key("import-target-full_name"),
            Target::Email => key("import-target-email"),
            Target::Phone => key("import-target-phone"),
            Target::Title => key("import-target-title"),
            Target::Company => key("import-target-company"),
            Target::Address => key("import-target-address"),
            Target::City => key("import-target-city"),
            Target::Country => key("import-target-country"),
            Target::Lifecycle => key("import-target-lifecycle"),
            Target::Consent => key("import-target-consent"),
            Target::Tags => key("import-target-tags"),
            Target::Source => key("import-target-source"),
            Target::Ignore => key("import-target-ignore"),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Target::FirstName => "First name",
            Target::LastName => "Last name",
            Target::FullName => "Full name (split into first and last)",
            Target::Email => "Email",
            Target::Phone => "Phone",
            Target::Title => "Job title",
            Target::Company => "Company",
            Target::Address => "Address",
            Target::City => "City",
            Target::Country => "Country",
            Target::Lifecycle => "Lifecycle stage",
            Target::Consent => "Marketing consent",
            Target::Tags => "Tags (comma-separated)",
            Target::Source => "Source",
            Target::Ignore => "— Ignore this column —",
        }
    }

    pub fn parse(s: &str) -> Option<Target> {
        Target::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// Tags from several columns add up; other fields take one column.
    fn repeatable(self) -> bool {
        matches!(self, Target::Tags | Target::Ignore)
    }
}

/// "E-mail Address" → "emailaddress": lower case, letters and digits only.
fn squash(header: &str) -> String {
    header
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The field a column header most likely means.
pub fn guess(header: &str) -> Target {
    use Target::*;
    let h = squash(header);
    // Names as people write them, squashed (see `squash`).
    let exact: [(Target, &str); 14] = [
        (
            Email,
            "email mail emailaddress mailaddress courriel correo emailadresse 邮箱 电子邮件 电子邮箱 邮件 郵箱 電子郵件",
        ),
        (
            FirstName,
            "firstname first givenname forename prenom prénom vorname fname 名 名字",
        ),
        (
            LastName,
            "lastname last surname familyname nom nachname lname 姓 姓氏",
        ),
        (
            FullName,
            "name fullname contact contactname displayname person 姓名 联系人 聯絡人 聯繫人",
        ),
        (
            Phone,
            "phone telephone téléphone tel mobile cell phonenumber mobilephone workphone telefon \
             电话 手机 手机号 手机号码 电话号码 联系电话 電話 手機",
        ),
        (
            Title,
            "title jobtitle position role function poste 职位 职务 職位 職稱",
        ),
        (
            Company,
            "company organisation organization org account accountname companyname employer \
             business société societe firma entreprise firm 公司 公司名称 单位 企业 客户 公司名稱 企業",
        ),
        (
            Address,
            "address street streetaddress address1 addressline1 adresse strasse straße 地址 详细地址",
        ),
        (City, "city town locality ville stadt ort 城市 市"),
        (Country, "country countryname nation pays land 国家 國家"),
        (
            Lifecycle,
            "lifecycle lifecyclestage stage 线索阶段 阶段 生命周期阶段",
        ),
        (
            Consent,
            "consent marketingconsent emailconsent newsletter optin subscribed 营销许可 营销邮件许可",
        ),
        (Tags, "tags tag labels label groups categories 标签 標籤"),
        (Source, "source leadsource origin channel 来源 來源 渠道"),
    ];
    if let Some((t, _)) = exact
        .iter()
        .find(|(_, names)| names.split_whitespace().any(|n| n == h))
    {
        return *t;
    }
    let contains: &[(&str, Target)] = &[
        ("consent", Consent),
        ("email", Email),
        ("address", Address),
        ("street", Address),
        ("mail", Email),
        ("phone", Phone),
        ("mobile", Phone),
        ("compan", Company),
        ("organi", Company),
        ("firstname", FirstName),
        ("lastname", LastName),
        ("city", City),
        ("country", Country),
        ("jobtitle", Title),
        ("tag", Tags),
        ("邮", Email),
        ("郵", Email),
        ("电话", Phone),
        ("手机", Phone),
        ("公司", Company),
        ("地址", Address),
    ];
    contains
        .iter()
        .find(|(needle, _)| h.contains(needle))
        .map_or(Ignore, |(_, t)| *t)
}

/// Guesses for every column; a field already taken by an earlier column
/// is not guessed twice.
pub fn guess_all(headers: &[String]) -> Vec<Target> {
    let mut out: Vec<Target> = Vec::with_capacity(headers.len());
    for h in headers {
        let t = guess(h);
        out.push(if !t.repeatable() && out.contains(&t) {
            Target::Ignore
        } else {
            t
        });
    }
    out
}

/// The mapping as stored in `imports.mapping`: one field name per column.
pub fn to_json(columns: &[Target]) -> String {
    serde_json::to_string(&columns.iter().map(|t| t.as_str()).collect::<Vec<_>>())
        .unwrap_or_else(|_| "[]".into())
}

pub fn from_json(json: &str) -> Vec<Target> {
    serde_json::from_str::<Vec<String>>(json)
        .unwrap_or_default()
        .iter()
        .map(|s| Target::parse(s).unwrap_or(Target::Ignore))
        .collect()
}

/// Problems with a chosen mapping, for the page (empty when usable), in
/// `l`'s language.
pub fn check(columns: &[Target], l: &Locale) -> Vec<String> {
    let mut problems = Vec::new();
    for t in Target::ALL.into_iter().filter(|t| !t.repeatable()) {
        if columns.iter().filter(|c| **c == t).count() > 1 {
            problems.push(l.t_str("error-mapping-twice", "field", &l.t(t.label_key())));
        }
    }
    let names = [
        Target::FirstName,
        Target::LastName,
        Target::FullName,
        Target::Email,
    ];
    if !columns.iter().any(|c| names.contains(c)) {
        problems.push(l.t("error-mapping-names"));
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guesses_fields_from_headers() {
        let headers: Vec<String> = [
            "E-mail",
            "First Name",
            "Surname",
            "Organisation",
            "Mobile",
            "Work email",
            "Tags",
            "Label",
            "Notes",
            "Prénom",
            "Job Title",
            "Company Name",
            "Newsletter",
        ]
        .map(String::from)
        .to_vec();
        let got: Vec<&str> = guess_all(&headers)
            .into_iter()
            .map(Target::as_str)
            .collect();
        assert_eq!(
            got,
            [
                "email",
                "first_name",
                "last_name",
                "company",
                "phone",
                "ignore",
                "tags",
                "tags",
                "ignore",
                "ignore",
                "title",
                "ignore",
                "consent"
            ]
        );
        assert_eq!(guess("Mail"), Target::Email);
        assert_eq!(guess("Name"), Target::FullName);
        assert_eq!(guess("Company"), Target::Company);
        let chinese: Vec<&str> = [
            "姓名",
            "手机号码",
            "电子邮箱",
            "公司名称",
            "职位",
            "城市",
            "标签",
            "来源",
        ]
        .into_iter()
        .map(|h| guess(h).as_str())
        .collect();
        assert_eq!(
            chinese,
            [
                "full_name",
                "phone",
                "email",
                "company",
                "title",
                "city",
                "tags",
                "source"
            ]
        );
        assert_eq!(
            (guess("名"), guess("姓")),
            (Target::FirstName, Target::LastName)
        );
    }

    #[test]
    fn a_mapping_needs_a_name_or_email_and_fields_once() {
        use Target::*;
        assert!(check(&[Email, Ignore], &Locale::default()).is_empty());
        assert_eq!(check(&[Ignore, Phone], &Locale::default()).len(), 1);
        assert_eq!(
            check(&[Email, Email, Tags, Tags], &Locale::default()).len(),
            1
        );
        assert_eq!(
            from_json(&to_json(&[Email, FullName])),
            vec![Email, FullName]
        );
    }
}
