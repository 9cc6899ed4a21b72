//! Rendering the GGUF's own chat template (`tokenizer.chat_template`, a
//! Jinja template) the way llama-cpp-python and Hugging Face transformers
//! do: Jinja with `trim_blocks` and `lstrip_blocks`, the variables
//! `messages`, `add_generation_prompt`, `bos_token`, `eos_token`, and the
//! functions `raise_exception` and `strftime_now`. Python string methods
//! (`.strip()`, `.startswith()`, ...) come from minijinja's pycompat layer.

use minijinja::{Environment, Error, ErrorKind, Value, context};

use crate::LocalError;

/// A compiled chat template.
pub(crate) struct ChatTemplate {
    env: Environment<'static>,
    bos_token: String,
    eos_token: String,
}

impl ChatTemplate {
    /// Compiles `source`, a Jinja chat template.
    pub(crate) fn new(
        source: &str,
        bos_token: String,
        eos_token: String,
    ) -> Result<Self, LocalError> {
        let mut env = Environment::new();
        env.set_trim_blocks(true);
        env.set_lstrip_blocks(true);
        env.set_unknown_method_callback(minijinja_contrib::pycompat::unknown_method_callback);
        env.add_function("raise_exception", |msg: String| -> Result<Value, Error> {
            Err(Error::new(ErrorKind::InvalidOperation, msg))
        });
        env.add_function("strftime_now", |_format: String| -> Result<Value, Error> {
            // A real clock would make prompts (and so results) depend on the day.
            Err(Error::new(
                ErrorKind::InvalidOperation,
                "strftime_now is not supported: prompts must not depend on the clock",
            ))
        });
        env.add_template_owned("chat", source.to_owned())
            .map_err(|e| {
                LocalError::Template(format!("the GGUF chat template does not compile: {e:#}"))
            })?;
        Ok(ChatTemplate {
            env,
            bos_token,
            eos_token,
        })
    }

    /// Renders `messages` (role, content), ending with the generation prompt
    /// (the assistant's header) when `add_generation_prompt` is set.
    pub(crate) fn render(
        &self,
        messages: &[(&str, &str)],
        add_generation_prompt: bool,
    ) -> Result<String, LocalError> {
        let messages: Vec<Value> = messages
            .iter()
            .map(|(role, content)| context! { role => *role, content => *content })
            .collect();
        let tmpl = self
            .env
            .get_template("chat")
            .map_err(|e| LocalError::Template(e.to_string()))?;
        tmpl.render(context! {
            messages => messages,
            add_generation_prompt => add_generation_prompt,
            bos_token => self.bos_token.as_str(),
            eos_token => self.eos_token.as_str(),
        })
        .map_err(|e| LocalError::Template(format!("{e:#}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMOLLM2: &str = "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}{{ '<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n' }}{% endif %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}";

    fn smollm2() -> ChatTemplate {
        ChatTemplate::new(SMOLLM2, "<|im_start|>".into(), "<|im_end|>".into()).unwrap()
    }

    #[test]
    fn smollm2_adds_default_system_prompt_and_generation_prompt() {
        let out = smollm2().render(&[("user", "Hi")], true).unwrap();
        assert_eq!(
            out,
            "<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n\
             <|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n"
        );
    }

    #[test]
    fn smollm2_keeps_given_system_prompt() {
        let out = smollm2()
            .render(&[("system", "Be brief."), ("user", "Hi")], false)
            .unwrap();
        assert_eq!(
            out,
            "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n"
        );
    }

    #[test]
    fn python_string_methods_and_raise_exception() {
        let t = ChatTemplate::new(
            "{% for m in messages %}{% if m.role not in ['user'] %}{{ raise_exception('only user') }}{% endif %}[{{ m.content.strip() }}]{% endfor %}",
            String::new(),
            String::new(),
        )
        .unwrap();
        assert_eq!(t.render(&[("user", "  x  ")], true).unwrap(), "[x]");
        let err = t.render(&[("bot", "x")], true).unwrap_err();
        assert!(err.to_string().contains("only user"), "{err}");
    }

    #[test]
    fn trim_and_lstrip_blocks_like_transformers() {
        let t = ChatTemplate::new(
            "{% for m in messages %}\n    {{ m.content }}\n{% endfor %}",
            String::new(),
            String::new(),
        )
        .unwrap();
        assert_eq!(
            t.render(&[("user", "a"), ("user", "b")], true).unwrap(),
            "    a\n    b\n"
        );
    }
}
