//! Interaction callbacks and the webhook endpoints an interaction token opens: the original
//! response and follow-ups.

use super::super::model::{
    FLAG_LOADING, InteractionResponse, InteractionState, MessageInteraction, ResponseKind,
    StoredMessage, World, now_ms,
};
use super::super::payloads::{self, Via};
use super::super::validate;
use super::super::{Shared, lock};
use super::messages::apply_body;
use super::{ApiRequest, Handled, Reply, typed};
use serde_json::{Value, json};
use serenity::model::channel::Message;

fn unknown_interaction() -> Reply {
    Reply::error(404, 10062, "Unknown interaction")
}

fn unknown_webhook() -> Reply {
    Reply::error(404, 10015, "Unknown Webhook")
}

fn record_response(
    world: &mut World,
    interaction: u64,
    kind: ResponseKind,
    body: Option<Value>,
    message_id: Option<u64>,
) {
    if let Some(state) = world.interactions.get_mut(&interaction) {
        let after = state.created.elapsed();
        state.responses.push(InteractionResponse {
            kind,
            body,
            message_id,
            after,
        });
    }
}

/// A new message answering `interaction`, from the app's webhook.
fn interaction_message(world: &mut World, interaction: u64) -> StoredMessage {
    let state = world.interactions[&interaction].clone();
    let mut message = world.new_message(state.channel_id, world.bot_id, "");
    message.kind = if state.kind == 2 { 20 } else { 0 };
    message.webhook_id = Some(world.application_id);
    message.interaction = Some(MessageInteraction {
        id: state.id,
        kind: state.kind,
        name: state.name.clone(),
        user_id: state.user_id,
    });
    message
}

pub(super) fn callback(shared: &Shared, req: &ApiRequest, id: &str, token: &str) -> Handled {
    let mut world = lock(&shared.world);
    let id = id.parse::<u64>().map_err(|_| unknown_interaction())?;
    let state = world
        .interactions
        .get(&id)
        .filter(|i| i.token == token)
        .cloned()
        .ok_or_else(unknown_interaction)?;
    if state.acknowledged {
        return Err(Reply::error(
            400,
            40060,
            "Interaction has already been acknowledged.",
        ));
    }
    if state.created.elapsed() > shared.interaction_deadline {
        return Err(unknown_interaction());
    }
    let body = req.body();
    let Some(kind) = body.get("type").and_then(Value::as_u64) else {
        return Err(Reply::refusal((
            400,
            payloads::form_error(&["type"], "BASE_TYPE_REQUIRED", "This field is required"),
        )));
    };
    let allowed: &[u64] = match state.kind {
        4 => &[8],
        3 => &[4, 5, 6, 7, 9],
        _ => &[4, 5, 9],
    };
    if !allowed.contains(&kind) {
        return Err(Reply::refusal((
            400,
            payloads::form_error(
                &["type"],
                "INTERACTION_RESPONSE_TYPE_INVALID",
                "Invalid interaction response type",
            ),
        )));
    }
    let data = body.get("data").cloned().unwrap_or(json!({}));
    let mut message_id = None;
    match kind {
        4 | 5 => {
            if kind == 4 {
                validate::message(&data, true, !req.files.is_empty()).map_err(Reply::refusal)?;
            }
            let mut message = interaction_message(&mut world, id);
            apply_body(&world, &mut message, &data, &req.files, true)?;
            if kind == 5 {
                message.flags |= FLAG_LOADING;
            }
            message.sent = Some(body.clone());
            let message = shared.post(&mut world, message);
            message_id = Some(message.id);
            world
                .interactions
                .get_mut(&id)
                .expect("exists")
                .original_message_id = message_id;
        }
        7 => {
            validate::message(&data, false, !req.files.is_empty()).map_err(Reply::refusal)?;
            if let Some(on) = state.message_id {
                let mut message = world.messages[&on].clone();
                apply_body(&world, &mut message, &data, &req.files, false)?;
                message.edited_ms = Some(now_ms());
                world.messages.insert(on, message);
                message_id = Some(on);
            }
            world
                .interactions
                .get_mut(&id)
                .expect("exists")
                .original_message_id = state.message_id;
        }
        6 => {
            world
                .interactions
                .get_mut(&id)
                .expect("exists")
                .original_message_id = state.message_id;
        }
        8 => validate::autocomplete_choices(&data).map_err(Reply::refusal)?,
        _ => {
            let complete = ["custom_id", "title", "components"]
                .iter()
                .all(|k| data.get(*k).is_some_and(|v| !v.is_null()));
            if !complete {
                return Err(Reply::refusal((
                    400,
                    payloads::form_error(
                        &["data"],
                        "BASE_TYPE_REQUIRED",
                        "A modal needs custom_id, title and components",
                    ),
                )));
            }
        }
    }
    world
        .interactions
        .get_mut(&id)
        .expect("exists")
        .acknowledged = true;
    record_response(
        &mut world,
        id,
        ResponseKind::Callback,
        Some(body.clone()),
        message_id,
    );
    drop(world);
    shared.changed();
    Ok(Reply::no_content())
}

pub(super) fn webhook(
    shared: &Shared,
    req: &ApiRequest,
    app: &str,
    token: &str,
    rest: &[&str],
) -> Option<Handled> {
    let mut world = lock(&shared.world);
    if app.parse::<u64>().ok() != Some(world.application_id) {
        return Some(Err(unknown_webhook()));
    }
    let Some(state) = world.interaction_by_token(token).cloned() else {
        return Some(Err(unknown_webhook()));
    };
    let handled = match (req.method.as_str(), rest) {
        ("POST", []) => followup(shared, &mut world, req, &state),
        (method, ["messages", "@original"]) => {
            let Some(original) = state.original_message_id else {
                return Some(Err(Reply::error(404, 10008, "Unknown Message")));
            };
            webhook_message(shared, &mut world, req, method, &state, original, true)
        }
        (method, ["messages", message]) => match message.parse::<u64>() {
            Ok(message) => webhook_message(shared, &mut world, req, method, &state, message, false),
            Err(_) => Err(Reply::error(404, 10008, "Unknown Message")),
        },
        _ => return None,
    };
    drop(world);
    shared.changed();
    Some(handled)
}

fn followup(
    shared: &Shared,
    world: &mut World,
    req: &ApiRequest,
    state: &InteractionState,
) -> Handled {
    if !state.acknowledged {
        return Err(unknown_webhook());
    }
    let body = req.body();
    validate::message(body, true, !req.files.is_empty()).map_err(Reply::refusal)?;
    // The first follow-up after a deferred response replaces the "thinking..." message.
    let loading = state.original_message_id.filter(|m| {
        world
            .messages
            .get(m)
            .is_some_and(|m| m.flags & FLAG_LOADING != 0)
    });
    let message = match loading {
        Some(original) => {
            let mut message = world.messages[&original].clone();
            apply_body(world, &mut message, body, &req.files, false)?;
            message.flags &= !FLAG_LOADING;
            message.sent = Some(body.clone());
            world.messages.insert(original, message.clone());
            message
        }
        None => {
            let mut message = interaction_message(world, state.id);
            message.kind = 0;
            apply_body(world, &mut message, body, &req.files, true)?;
            message.sent = Some(body.clone());
            shared.post(world, message)
        }
    };
    record_response(
        world,
        state.id,
        ResponseKind::Followup,
        Some(body.clone()),
        Some(message.id),
    );
    let response = payloads::message(world, &message, Via::Rest);
    Ok(typed::<Message>(
        shared,
        200,
        "POST /webhooks/{app}/{token}",
        response,
    ))
}

fn webhook_message(
    shared: &Shared,
    world: &mut World,
    req: &ApiRequest,
    method: &str,
    state: &InteractionState,
    message_id: u64,
    original: bool,
) -> Handled {
    let Some(existing) = world
        .messages
        .get(&message_id)
        .filter(|m| {
            !m.deleted && (original || m.interaction.as_ref().is_some_and(|i| i.id == state.id))
        })
        .cloned()
    else {
        return Err(Reply::error(404, 10008, "Unknown Message"));
    };
    let (edit, delete) = if original {
        (ResponseKind::EditOriginal, ResponseKind::DeleteOriginal)
    } else {
        (ResponseKind::EditFollowup, ResponseKind::DeleteFollowup)
    };
    match method {
        "GET" => {
            let body = payloads::message(world, &existing, Via::Rest);
            Ok(typed::<Message>(
                shared,
                200,
                "GET /webhooks/{app}/{token}/messages/{id}",
                body,
            ))
        }
        "DELETE" => {
            world.messages.get_mut(&message_id).expect("exists").deleted = true;
            record_response(world, state.id, delete, None, Some(message_id));
            Ok(Reply::no_content())
        }
        "PATCH" => {
            let body = req.body();
            validate::message(body, false, !req.files.is_empty()).map_err(Reply::refusal)?;
            let mut message = existing;
            let was_loading = message.flags & FLAG_LOADING != 0;
            apply_body(world, &mut message, body, &req.files, false)?;
            message.flags &= !FLAG_LOADING;
            if !was_loading {
                message.edited_ms = Some(now_ms());
            }
            if message.sent.is_none() || was_loading {
                message.sent = Some(body.clone());
            }
            world.messages.insert(message_id, message.clone());
            record_response(world, state.id, edit, Some(body.clone()), Some(message_id));
            let response = payloads::message(world, &message, Via::Rest);
            Ok(typed::<Message>(
                shared,
                200,
                "PATCH /webhooks/{app}/{token}/messages/{id}",
                response,
            ))
        }
        _ => Err(Reply::error(405, 0, "405: Method Not Allowed")),
    }
}
