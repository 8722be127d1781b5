//! The product catalog: categories, their service times, and skill levels.

use super::ids::CategoryId;
use serde::{Deserialize, Serialize};

/// A technician's level in one category. A higher level covers the lower ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SkillLevel {
    /// Installs and simple repairs.
    Basic,
    /// Ordinary repairs.
    Advanced,
    /// Hard cases; usually the company's own technicians.
    Expert,
}

impl SkillLevel {
    /// All levels, lowest first.
    pub const ALL: [SkillLevel; 3] = [SkillLevel::Basic, SkillLevel::Advanced, SkillLevel::Expert];

    /// The level a request of this difficulty (1 to 5) needs: 1–2 Basic, 3–4 Advanced, 5 Expert.
    pub fn for_difficulty(difficulty: u8) -> SkillLevel {
        match difficulty {
            0..=2 => SkillLevel::Basic,
            3..=4 => SkillLevel::Advanced,
            _ => SkillLevel::Expert,
        }
    }

    /// Position in [`SkillLevel::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

/// What a request asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestKind {
    /// Install a new appliance.
    Install,
    /// Repair a fault.
    Repair,
    /// Routine maintenance or cleaning.
    Maintenance,
}

impl RequestKind {
    /// All kinds.
    pub const ALL: [RequestKind; 3] = [
        RequestKind::Install,
        RequestKind::Repair,
        RequestKind::Maintenance,
    ];
}

/// One product category with its on-site service times.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Category {
    /// Id, referenced by skills, outlets and requests.
    pub id: CategoryId,
    /// Short machine name, e.g. `air_conditioner`.
    pub code: String,
    /// Display name.
    pub name: String,
    /// Minutes on site for an installation, at [`SkillLevel::Basic`].
    pub install_min: f64,
    /// Minutes on site for a repair, at [`SkillLevel::Basic`].
    pub repair_min: f64,
    /// Minutes on site for maintenance, at [`SkillLevel::Basic`].
    pub maintenance_min: f64,
}

impl Category {
    /// Minutes on site for a kind of work, at [`SkillLevel::Basic`].
    pub fn base_minutes(&self, kind: RequestKind) -> f64 {
        match kind {
            RequestKind::Install => self.install_min,
            RequestKind::Repair => self.repair_min,
            RequestKind::Maintenance => self.maintenance_min,
        }
    }
}

/// The product catalog: categories and how much faster higher levels work.
///
/// Products are data: another company's catalog fits without changing the crate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalog {
    /// The categories.
    pub categories: Vec<Category>,
    /// Multiplier of the base service time for Basic, Advanced and Expert
    /// technicians, in that order; each in (0, 1], default `[1.0, 0.9, 0.8]`.
    #[serde(default = "default_level_time_factor")]
    pub level_time_factor: [f64; 3],
}

fn default_level_time_factor() -> [f64; 3] {
    [1.0, 0.9, 0.8]
}

impl Catalog {
    /// Minutes on site in one category for a kind of work at a level.
    pub fn service_minutes(
        &self,
        category: &Category,
        kind: RequestKind,
        level: SkillLevel,
    ) -> f64 {
        category.base_minutes(kind) * self.level_time_factor[level.index()]
    }

    /// The category with this id.
    pub fn category(&self, id: CategoryId) -> Option<&Category> {
        self.categories.iter().find(|c| c.id == id)
    }

    /// The category a text names: its id (`0`) or its code (`air_conditioner`).
    ///
    /// # Errors
    /// A [`ParseError`](crate::ParseError) listing the known codes.
    pub fn find_category(&self, name: &str) -> Result<CategoryId, crate::ParseError> {
        let name = name.trim();
        if let Ok(id) = name.parse::<u16>()
            && self.category(CategoryId(id)).is_some()
        {
            return Ok(CategoryId(id));
        }
        self.categories
            .iter()
            .find(|c| c.code == name)
            .map(|c| c.id)
            .ok_or_else(|| {
                let known: Vec<&str> = self.categories.iter().map(|c| c.code.as_str()).collect();
                crate::ParseError::new(
                    "category",
                    name,
                    format!("a category id or one of the codes {}", known.join(", ")),
                )
            })
    }
}

impl Default for Catalog {
    /// A household-appliance catalog: air conditioner, refrigerator, washing
    /// machine, water heater, range hood, gas stove, dishwasher and TV.
    fn default() -> Self {
        let rows: [(&str, &str, f64, f64, f64); 8] = [
            ("air_conditioner", "Air conditioner", 120.0, 75.0, 60.0),
            ("refrigerator", "Refrigerator", 30.0, 70.0, 40.0),
            ("washing_machine", "Washing machine", 40.0, 60.0, 45.0),
            ("water_heater", "Water heater", 90.0, 60.0, 45.0),
            ("range_hood", "Range hood", 75.0, 50.0, 40.0),
            ("gas_stove", "Gas stove", 45.0, 45.0, 30.0),
            ("dishwasher", "Dishwasher", 80.0, 60.0, 40.0),
            ("tv", "TV", 35.0, 50.0, 25.0),
        ];
        Catalog {
            categories: rows
                .iter()
                .enumerate()
                .map(|(i, &(code, name, install, repair, maint))| Category {
                    id: CategoryId(i as u16),
                    code: code.to_string(),
                    name: name.to_string(),
                    install_min: install,
                    repair_min: repair,
                    maintenance_min: maint,
                })
                .collect(),
            level_time_factor: default_level_time_factor(),
        }
    }
}
