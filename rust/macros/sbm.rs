// SPDX-License-Identifier: GPL-2.0

//! The `#[sandboxed]` attribute: turns a function into a SandBox Mode target.

use proc_macro2::{
    Ident,
    Span,
    TokenStream,
    TokenTree, //
};
use quote::{
    format_ident,
    quote, //
};
use syn::{
    spanned::Spanned,
    AttrStyle,
    Attribute,
    Error,
    FnArg,
    GenericArgument,
    ItemFn,
    Meta,
    Pat,
    PathArguments,
    Result,
    ReturnType,
    Type,
    Visibility, //
};

enum Kind {
    In,
    Out,
    InOut,
}

struct Param {
    name: syn::Ident,
    ty: Type,
    elem: Type,
    kind: Kind,
}

/// Finds a named lifetime (anything but `'_`) in `tokens`, nested groups included.
fn named_lifetime(tokens: TokenStream) -> Option<Span> {
    let mut tokens = tokens.into_iter().peekable();
    while let Some(tt) = tokens.next() {
        match tt {
            TokenTree::Punct(p) if p.as_char() == '\'' => {
                if let Some(TokenTree::Ident(id)) = tokens.peek() {
                    if id != "_" {
                        return Some(id.span());
                    }
                }
            }
            TokenTree::Group(g) => {
                if let Some(span) = named_lifetime(g.stream()) {
                    return Some(span);
                }
            }
            _ => {}
        }
    }
    None
}

/// Finds the identifier or keyword `word` in `tokens`, nested groups included.
fn find_ident(tokens: TokenStream, word: &str) -> Option<Span> {
    tokens.into_iter().find_map(|tt| match tt {
        TokenTree::Ident(id) if id == word => Some(id.span()),
        TokenTree::Group(g) => find_ident(g.stream(), word),
        _ => None,
    })
}

/// Takes `#[out]`/`#[inout]` off a parameter and says which kind of buffer it is.
fn param(arg: &mut FnArg) -> Result<Param> {
    let FnArg::Typed(pt) = arg else {
        return Err(Error::new_spanned(
            arg,
            "a sandboxed function cannot take `self`",
        ));
    };
    let mut kind = None;
    for attr in pt.attrs.drain(..) {
        let this = if attr.path().is_ident("out") {
            Kind::Out
        } else if attr.path().is_ident("inout") {
            Kind::InOut
        } else {
            // `#[cfg]` on a parameter would change which buffers there are after the signature
            // was read; lint attributes have nothing to apply to in what is generated.
            return Err(Error::new_spanned(
                attr,
                "a sandboxed function's parameters take only `#[out]` or `#[inout]`",
            ));
        };
        if !matches!(attr.meta, Meta::Path(_)) {
            return Err(Error::new_spanned(
                attr,
                "`#[out]` and `#[inout]` take no arguments",
            ));
        }
        if kind.is_some() {
            return Err(Error::new_spanned(
                attr,
                "a parameter is either `#[out]` or `#[inout]`, named once",
            ));
        }
        kind = Some(this);
    }
    let Pat::Ident(pat) = &*pt.pat else {
        return Err(Error::new_spanned(
            &pt.pat,
            "a sandboxed function's parameters must be plain names",
        ));
    };
    // A type from a `macro_rules!` fragment comes wrapped in an invisible group.
    let mut ty = &*pt.ty;
    while let Type::Group(g) = ty {
        ty = &g.elem;
    }
    let Type::Reference(r) = ty else {
        return Err(Error::new_spanned(
            &pt.ty,
            "a sandboxed function takes only references to plain data: \
             `&T`, `#[out] &mut T` or `#[inout] &mut T`",
        ));
    };
    // The references point into the sandbox's copies, which live only for the call: a named
    // lifetime (`&'static`) would let the function keep them, and read freed memory later.
    if let Some(span) = named_lifetime(quote!(#r)) {
        return Err(Error::new(
            span,
            "a sandboxed function's references cannot name a lifetime: they live only for \
             the call (use `&T` or `&'_ T`)",
        ));
    }
    if let Some(span) = find_ident(quote!(#r), "impl") {
        return Err(Error::new(
            span,
            "a sandboxed function cannot be generic: name the plain data type",
        ));
    }
    let kind = match (r.mutability.is_some(), kind) {
        (false, None) => Kind::In,
        (false, Some(_)) => {
            return Err(Error::new_spanned(
                &pt.ty,
                "`#[out]` and `#[inout]` need a `&mut` reference",
            ))
        }
        (true, Some(k)) => k,
        (true, None) => {
            return Err(Error::new_spanned(
                &pt.ty,
                "mark a `&mut` parameter `#[out]` (starts zeroed) or `#[inout]` (starts with \
                 the caller's data)",
            ))
        }
    };
    Ok(Param {
        name: pat.ident.clone(),
        ty: (*pt.ty).clone(),
        elem: (*r.elem).clone(),
        kind,
    })
}

/// Attributes a sandboxed function keeps: code generation hints and lint levels. Anything else
/// would act on a function that now lives inside its thunk: `no_mangle` or `export_name` would
/// export it for calls outside a sandbox, `link_section` would take it out of `.sbm.text`,
/// `track_caller` needs kernel data.
const KEPT_ATTRS: &[&str] = &[
    "inline", "cold", "allow", "expect", "warn", "deny", "forbid",
];

/// Takes the outer documentation off `func`, for the generated type, and checks what is left.
fn split_attrs(func: &mut ItemFn) -> Result<Vec<Attribute>> {
    let mut docs = Vec::new();
    let mut kept = Vec::new();
    for attr in std::mem::take(&mut func.attrs) {
        let path = attr.path();
        let tool = path.segments.len() > 1
            && ["clippy", "rustfmt"]
                .iter()
                .any(|t| path.segments[0].ident == t);
        // Inner attributes of the body apply to the function too: they are checked alike, and
        // only outer documentation moves.
        let doc = path.is_ident("doc");
        if doc && matches!(attr.style, AttrStyle::Outer) {
            docs.push(attr);
        } else if doc || tool || KEPT_ATTRS.iter().any(|k| path.is_ident(k)) {
            kept.push(attr);
        } else {
            return Err(Error::new_spanned(
                attr,
                "a sandboxed function takes only documentation, `#[inline]`, `#[cold]`, lint and \
                 tool attributes: it runs only through the generated `call`",
            ));
        }
    }
    func.attrs = kept;
    Ok(docs)
}

/// The success type `T` of the `Result<T>` a sandboxed function returns.
fn success_type(output: &ReturnType) -> Result<Type> {
    let msg = "a sandboxed function returns `Result`, `Result<()>` or `Result<u32>`";
    let ReturnType::Type(_, ty) = output else {
        return Err(Error::new(output.span(), msg));
    };
    let mut ty = &**ty;
    while let Type::Group(g) = ty {
        ty = &g.elem;
    }
    let Type::Path(path) = ty else {
        return Err(Error::new_spanned(ty, msg));
    };
    let last = path.path.segments.last().expect("a path has a segment");
    if last.ident != "Result" {
        return Err(Error::new_spanned(ty, msg));
    }
    match &last.arguments {
        PathArguments::None => Ok(syn::parse_quote!(())),
        PathArguments::AngleBracketed(args) if args.args.len() == 1 => match &args.args[0] {
            GenericArgument::Type(t) => Ok(t.clone()),
            other => Err(Error::new_spanned(other, msg)),
        },
        other => Err(Error::new_spanned(other, msg)),
    }
}

pub(crate) fn sandboxed(mut func: ItemFn) -> Result<TokenStream> {
    let sig = &mut func.sig;
    if let Some(t) = &sig.asyncness {
        return Err(Error::new_spanned(
            t,
            "a sandboxed function cannot be `async`",
        ));
    }
    if let Some(t) = &sig.unsafety {
        return Err(Error::new_spanned(
            t,
            "a sandboxed function cannot be `unsafe`",
        ));
    }
    if let Some(t) = &sig.abi {
        return Err(Error::new_spanned(
            t,
            "a sandboxed function has the Rust ABI",
        ));
    }
    if !sig.generics.params.is_empty() || sig.generics.where_clause.is_some() {
        return Err(Error::new_spanned(
            &sig.generics,
            "a sandboxed function cannot be generic",
        ));
    }
    if let Some(v) = &sig.variadic {
        return Err(Error::new_spanned(
            v,
            "a sandboxed function cannot be variadic",
        ));
    }
    if let Some(FnArg::Receiver(r)) = sig.inputs.first() {
        return Err(Error::new_spanned(
            r,
            "a sandboxed function cannot be a method: make it a free function that takes the \\
             buffers it reads and writes",
        ));
    }
    // What is generated is a type and its `impl`: they cannot live in an `impl` block, where
    // `Self` would make sense.
    if let Some(span) = find_ident(quote!(#sig), "Self") {
        return Err(Error::new(
            span,
            "a sandboxed function is a free function: it cannot name `Self`",
        ));
    }
    // The buffers reach the thunk as one array, so there is no upper limit.
    if sig.inputs.is_empty() {
        return Err(Error::new(
            sig.ident.span(),
            "a sandboxed function takes at least one buffer",
        ));
    }
    let params = sig
        .inputs
        .iter_mut()
        .map(param)
        .collect::<Result<Vec<_>>>()?;
    let success = success_type(&sig.output)?;

    let name = sig.ident.clone();
    let vis = std::mem::replace(&mut func.vis, Visibility::Inherited);
    let docs = split_attrs(&mut func)?;
    let count = params.len();
    let run_doc = format!(
        "\n\nRuns `{name}` in a sandbox: the function can be called only through \
         [`{name}::call`]. See [`kernel::sbm`]."
    );
    let call_doc =
        format!("Runs `{name}` in `sandbox`, on sandbox copies of the buffers.\n\nMay sleep.");

    // Local names of the generated code: `mixed_site` keeps a parameter of the same name from
    // clashing with or capturing them, and the prefix keeps a constant of the caller's from
    // turning a binding into a pattern (items resolve where the macro was called).
    let sandbox = Ident::new("__sbm_sandbox", Span::mixed_site());
    let bufs = Ident::new("__sbm_bufs", Span::mixed_site());
    let ret = Ident::new("__sbm_ret", Span::mixed_site());
    let data = Ident::new("__sbm_data", Span::mixed_site());
    let thunk = Ident::new("__sbm_thunk", Span::mixed_site());

    let call_params = params.iter().map(|p| {
        let (n, t) = (&p.name, &p.ty);
        quote!(#n: #t)
    });
    let copies = params.iter().map(|p| {
        let n = &p.name;
        let copy = match p.kind {
            Kind::In => format_ident!("copy_in"),
            Kind::Out => format_ident!("copy_out"),
            Kind::InOut => format_ident!("copy_inout"),
        };
        quote! {
            // SAFETY: `exec` below runs while the buffer is still borrowed.
            unsafe { ::kernel::sbm::__private::#copy(#sandbox, #n) }
        }
    });
    let rebuilt = params.iter().enumerate().map(|(i, p)| {
        let elem = &p.elem;
        let from = match p.kind {
            Kind::In => format_ident!("from_raw"),
            Kind::Out | Kind::InOut => format_ident!("from_raw_mut"),
        };
        quote! {
            // SAFETY: `call` prepared entry #i for a buffer of this type and kind: a copy that
            // lives until `exec` returns, to which no other reference exists meanwhile, or an
            // empty slice's `RawBuf::EMPTY`. The function cannot keep the reference longer: its
            // signature names no lifetime.
            unsafe { <#elem as ::kernel::sbm::Plain>::#from(#bufs[#i]) }
        }
    });
    let elems = params.iter().map(|p| &p.elem);

    // The caller and the thunk hang off an empty braced struct named like the function: it lives
    // in the type namespace only, so it can take the name, and as a sibling item it sees what the
    // function saw, even inside a function body (doctests). The function itself moves into the
    // thunk, so that only the thunk can call it by name; items nested there resolve names
    // as the function did before. Strong isolation executes only the .sbm.text section in the
    // sandbox.
    Ok(quote! {
        #(#docs)*
        #[doc = #run_doc]
        #[allow(non_camel_case_types, dead_code)]
        #vis struct #name {}

        impl #name {
            #[doc = #call_doc]
            // One argument per buffer of the function: its signature decides.
            #[allow(clippy::too_many_arguments)]
            #vis fn call(
                #sandbox: &::kernel::sbm::Sandbox,
                #(#call_params),*
            ) -> ::core::result::Result<#success, ::kernel::sbm::SandboxError> {
                #(let () = <#elems as ::kernel::sbm::Plain>::FITS;)*
                let #bufs = [#(#copies),*];
                // SAFETY: `bufs` was just built, in order, by the copy functions on `sandbox`, and
                // the buffers they were given are borrowed until `call` returns; `thunk` rebuilds
                // the parameters from `bufs` in this order, with the types and kinds they were
                // prepared for.
                let #ret = unsafe {
                    ::kernel::sbm::__private::exec(#sandbox, Self::#thunk, &#bufs)
                }?;
                ::core::result::Result::Ok(<#success as ::kernel::sbm::Success>::from_ret(#ret))
            }

            #[cfg_attr(CONFIG_SANDBOX_MODE_STRONG, link_section = ".sbm.text")]
            unsafe extern "C" fn #thunk(
                #data: *mut ::kernel::ffi::c_void,
            ) -> ::kernel::ffi::c_int {
                #[cfg_attr(CONFIG_SANDBOX_MODE_STRONG, link_section = ".sbm.text")]
                #func

                // SAFETY: `sbm_exec` hands over the `[RawBuf; #count]` that `call` built.
                let #bufs = unsafe {
                    &*#data.cast::<[::kernel::sbm::__private::RawBuf; #count]>()
                };
                ::kernel::sbm::__private::thunk_ret(#name(#(#rebuilt),*))
            }
        }
    })
}
