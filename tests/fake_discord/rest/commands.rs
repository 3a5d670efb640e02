//! Application commands: bulk overwrite, create, read, edit and delete, global and per guild.

use super::super::model::World;
use super::super::payloads;
use super::super::validate;
use super::super::{Shared, lock};
use super::{ApiRequest, Handled, Reply, snowflake, typed};
use serde_json::Value;
use serenity::model::application::Command;

pub(super) fn commands(
    shared: &Shared,
    req: &ApiRequest,
    app: &str,
    guild: Option<&str>,
    rest: &[&str],
) -> Handled {
    let mut world = lock(&shared.world);
    if snowflake(app, "application_id")? != world.application_id {
        return Err(Reply::error(403, 50001, "Missing Access"));
    }
    let scope = match guild {
        Some(guild) => {
            let id = snowflake(guild, "guild_id")?;
            if id != world.guild_id {
                return Err(Reply::error(403, 50001, "Missing Access"));
            }
            Some(id)
        }
        None => None,
    };
    let list = |world: &World| -> Value {
        Value::Array(
            world
                .commands
                .iter()
                .filter(|c| c.guild_id == scope)
                .map(|c| payloads::command(world, c))
                .collect(),
        )
    };
    let what = format!("{} /applications/../commands", req.method);
    match (req.method.as_str(), rest) {
        ("GET", []) => Ok(typed::<Vec<Command>>(shared, 200, &what, list(&world))),
        ("PUT", []) => {
            let Some(definitions) = req.body().as_array() else {
                return Err(Reply::refusal((
                    400,
                    payloads::form_error(
                        &[],
                        "LIST_TYPE_CONVERT",
                        "Only iterables may be used in a ListType",
                    ),
                )));
            };
            validate::commands(definitions).map_err(Reply::refusal)?;
            world.overwrite_commands(scope, definitions);
            let body = list(&world);
            drop(world);
            shared.changed();
            Ok(typed::<Vec<Command>>(shared, 200, &what, body))
        }
        ("POST", []) => {
            validate::command(req.body(), "").map_err(Reply::refusal)?;
            let name = req.body()["name"].as_str().unwrap_or_default().to_string();
            let mut definitions: Vec<Value> = world
                .commands
                .iter()
                .filter(|c| c.guild_id == scope && c.name() != name)
                .map(|c| c.definition.clone())
                .collect();
            let existed = world
                .commands
                .iter()
                .any(|c| c.guild_id == scope && c.name() == name);
            definitions.push(req.body().clone());
            let created = world.overwrite_commands(scope, &definitions);
            let command = created.last().expect("just created");
            let body = payloads::command(&world, command);
            drop(world);
            shared.changed();
            let status = if existed { 200 } else { 201 };
            Ok(typed::<Command>(shared, status, &what, body))
        }
        (method @ ("GET" | "PATCH" | "DELETE"), [command_id]) => {
            let id = snowflake(command_id, "command_id")?;
            let Some(index) = world
                .commands
                .iter()
                .position(|c| c.id == id && c.guild_id == scope)
            else {
                return Err(Reply::error(404, 10063, "Unknown application command"));
            };
            match method {
                "DELETE" => {
                    world.commands.remove(index);
                    drop(world);
                    shared.changed();
                    Ok(Reply::no_content())
                }
                "PATCH" => {
                    let mut definition = world.commands[index].definition.clone();
                    if let (Some(target), Some(changes)) =
                        (definition.as_object_mut(), req.body().as_object())
                    {
                        target.extend(changes.clone());
                    }
                    validate::command(&definition, "").map_err(Reply::refusal)?;
                    let version = world.ids.next_id();
                    let command = &mut world.commands[index];
                    command.definition = definition;
                    command.version = version;
                    let body = payloads::command(&world, &world.commands[index]);
                    drop(world);
                    shared.changed();
                    Ok(typed::<Command>(shared, 200, &what, body))
                }
                _ => {
                    let body = payloads::command(&world, &world.commands[index]);
                    Ok(typed::<Command>(shared, 200, &what, body))
                }
            }
        }
        _ => Err(Reply::not_found()),
    }
}
