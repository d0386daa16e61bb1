//! The one schema both backends share. Kept by hand with portable types only
//! (see ARCHITECTURE.md §3); `tests/api/schema_check.rs` proves both migrated
//! databases match it.

diesel::table! {
    teams (id) {
        id -> BigInt,
        name -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    roles (name) {
        name -> Text,
        record_scope -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    users (id) {
        id -> BigInt,
        email -> Text,
        name -> Text,
        password_hash -> Text,
        role -> Text,
        team_id -> Nullable<BigInt>,
        active -> Bool,
        session_epoch -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        last_login_at -> Nullable<Timestamp>,
        language -> Nullable<Text>,
        time_zone -> Nullable<Text>,
    }
}

diesel::table! {
    workspace_settings (id) {
        id -> BigInt,
        company_name -> Text,
        company_address -> Text,
        language -> Text,
        time_zone -> Text,
        currency -> Text,
        version -> BigInt,
        updated_at -> Timestamp,
        quote_prefix -> Text,
        order_prefix -> Text,
        quote_valid_days -> Integer,
        track_individuals -> Bool,
    }
}

diesel::table! {
    accounts (id) {
        id -> BigInt,
        name -> Text,
        domain -> Nullable<Text>,
        industry -> Nullable<Text>,
        size -> Nullable<Text>,
        phone -> Nullable<Text>,
        address -> Nullable<Text>,
        city -> Nullable<Text>,
        country -> Nullable<Text>,
        owner_id -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    contacts (id) {
        id -> BigInt,
        first_name -> Text,
        last_name -> Text,
        email -> Nullable<Text>,
        phone -> Nullable<Text>,
        owner_id -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        account_id -> Nullable<BigInt>,
        title -> Nullable<Text>,
        address -> Nullable<Text>,
        city -> Nullable<Text>,
        country -> Nullable<Text>,
        lifecycle -> Text,
        source -> Nullable<Text>,
        consent -> Text,
        consent_changed_at -> Nullable<Timestamp>,
        consent_source -> Nullable<Text>,
        /// The linked account's name, copied for the company sort
        /// (`search::index::reindex_contacts` keeps it).
        company_sort -> Nullable<Text>,
        /// The contact's preferred language (`en`, `zh-CN`); None: the
        /// workspace's. What the customer reads is written in it.
        language -> Nullable<Text>,
    }
}

diesel::table! {
    /// The one timeline: notes, calls and meetings people log, and events
    /// other modules record (`ref_type`/`ref_id` point at their row). An
    /// entry is filed under one or more records, one column per record type.
    activities (id) {
        id -> BigInt,
        contact_id -> Nullable<BigInt>,
        account_id -> Nullable<BigInt>,
        kind -> Text,
        subject -> Nullable<Text>,
        body -> Text,
        author_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        occurred_at -> Timestamp,
        ref_type -> Nullable<Text>,
        ref_id -> Nullable<BigInt>,
        system_message -> Nullable<Text>,
        deal_id -> Nullable<BigInt>,
        order_id -> Nullable<BigInt>,
        ticket_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    tags (id) {
        id -> BigInt,
        name -> Text,
    }
}

diesel::table! {
    /// A tag on one record: exactly one of the record columns is set (one
    /// per record type; `records::links` maps a `RecordRef` onto them).
    record_tags (id) {
        id -> BigInt,
        tag_id -> BigInt,
        contact_id -> Nullable<BigInt>,
        account_id -> Nullable<BigInt>,
        deal_id -> Nullable<BigInt>,
        order_id -> Nullable<BigInt>,
        ticket_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    tasks (id) {
        id -> BigInt,
        title -> Text,
        due_on -> Date,
        assignee_id -> BigInt,
        contact_id -> Nullable<BigInt>,
        account_id -> Nullable<BigInt>,
        created_by -> Nullable<BigInt>,
        done_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        deal_id -> Nullable<BigInt>,
        order_id -> Nullable<BigInt>,
        ticket_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    imports (id) {
        id -> BigInt,
        user_id -> BigInt,
        file_name -> Text,
        status -> Text,
        mapping -> Text,
        on_match -> Text,
        total_rows -> BigInt,
        processed_rows -> BigInt,
        created_count -> BigInt,
        updated_count -> BigInt,
        skipped_count -> BigInt,
        error_count -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        finished_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    import_errors (id) {
        id -> BigInt,
        import_id -> BigInt,
        line_number -> BigInt,
        message -> Text,
        problem_message -> Nullable<Text>,
    }
}

diesel::table! {
    audit_log (id) {
        id -> BigInt,
        actor_id -> Nullable<BigInt>,
        action -> Text,
        entity -> Text,
        entity_id -> Nullable<BigInt>,
        summary -> Text,
        created_at -> Timestamp,
        summary_message -> Nullable<Text>,
    }
}

diesel::table! {
    saved_views (id) {
        id -> BigInt,
        user_id -> BigInt,
        list -> Text,
        name -> Text,
        query_string -> Text,
        pinned -> Bool,
        shared -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    search_terms (record_type, term, record_id) {
        record_type -> Text,
        term -> Text,
        record_id -> BigInt,
    }
}

diesel::table! {
    jobs (id) {
        id -> BigInt,
        kind -> Text,
        payload -> Text,
        dedupe_key -> Nullable<Text>,
        status -> Text,
        attempts -> Integer,
        max_attempts -> Integer,
        run_at -> Timestamp,
        locked_until -> Nullable<Timestamp>,
        locked_by -> Nullable<Text>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        finished_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    mail_outbox (id) {
        id -> BigInt,
        job_id -> BigInt,
        message_id -> Text,
        from_addr -> Text,
        to_addr -> Text,
        subject -> Text,
        text_body -> Text,
        html_body -> Nullable<Text>,
        headers -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    duplicate_members (rule, group_id, contact_id) {
        rule -> Text,
        group_id -> BigInt,
        contact_id -> BigInt,
    }
}

diesel::table! {
    duplicate_scans (id) {
        id -> BigInt,
        computed_at -> Timestamp,
    }
}

diesel::table! {
    /// A sales pipeline: its stages are the board's columns.
    pipelines (id) {
        id -> BigInt,
        name -> Text,
        position -> Integer,
        is_default -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    pipeline_stages (id) {
        id -> BigInt,
        pipeline_id -> BigInt,
        name -> Text,
        position -> Integer,
        probability -> Integer,
        rot_after_days -> Nullable<Integer>,
        outcome -> Text,
        created_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    lost_reasons (id) {
        id -> BigInt,
        name -> Text,
        active -> Bool,
        position -> Integer,
        created_at -> Timestamp,
    }
}

diesel::table! {
    deals (id) {
        id -> BigInt,
        title -> Text,
        contact_id -> Nullable<BigInt>,
        account_id -> Nullable<BigInt>,
        owner_id -> BigInt,
        pipeline_id -> BigInt,
        stage_id -> BigInt,
        value_minor -> BigInt,
        currency -> Text,
        expected_close -> Nullable<Date>,
        source -> Text,
        probability -> Nullable<Integer>,
        status -> Text,
        lost_reason_id -> Nullable<BigInt>,
        lost_note -> Nullable<Text>,
        won_at -> Nullable<Timestamp>,
        lost_at -> Nullable<Timestamp>,
        stage_entered_at -> Timestamp,
        last_activity_at -> Nullable<Timestamp>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        score -> Nullable<Integer>,
        scored_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    deal_stage_changes (id) {
        id -> BigInt,
        deal_id -> BigInt,
        from_stage_id -> Nullable<BigInt>,
        to_stage_id -> BigInt,
        user_id -> Nullable<BigInt>,
        changed_at -> Timestamp,
    }
}

diesel::table! {
    lead_score_models (id) {
        id -> BigInt,
        outcome -> Text,
        trained_at -> Timestamp,
        examples -> Integer,
        won -> Integer,
        lost -> Integer,
        auc_bp -> Nullable<Integer>,
        model -> Nullable<Text>,
        scored -> Integer,
    }
}

diesel::table! {
    products (id) {
        id -> BigInt,
        sku -> Text,
        sku_key -> Text,
        name -> Text,
        description -> Text,
        unit_price_minor -> BigInt,
        currency -> Text,
        tax_rate_bp -> Integer,
        active -> Bool,
        track_stock -> Bool,
        on_hand -> BigInt,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    orders (id) {
        id -> BigInt,
        quote_number -> Nullable<Text>,
        order_number -> Nullable<Text>,
        status -> Text,
        cancel_reason -> Nullable<Text>,
        contact_id -> Nullable<BigInt>,
        account_id -> Nullable<BigInt>,
        owner_id -> BigInt,
        currency -> Text,
        tax_mode -> Text,
        discount_kind -> Text,
        discount_value -> BigInt,
        shipping_minor -> BigInt,
        shipping_tax_bp -> Integer,
        subtotal_minor -> BigInt,
        discount_minor -> BigInt,
        tax_minor -> BigInt,
        total_minor -> BigInt,
        notes -> Text,
        deal_id -> Nullable<BigInt>,
        version -> Integer,
        confirmed_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        /// Random; a sent quote's public links are bound to it (cleared
        /// on withdrawal, which revokes them).
        link_key -> Nullable<Text>,
        /// The last day a sent quote's link opens (UTC).
        valid_until -> Nullable<Date>,
    }
}

diesel::table! {
    order_lines (id) {
        id -> BigInt,
        order_id -> BigInt,
        position -> Integer,
        product_id -> Nullable<BigInt>,
        sku -> Text,
        name -> Text,
        unit_price_minor -> BigInt,
        tax_rate_bp -> Integer,
        quantity_milli -> BigInt,
        discount_kind -> Text,
        discount_value -> BigInt,
        net_minor -> BigInt,
        tax_minor -> BigInt,
        total_minor -> BigInt,
    }
}

diesel::table! {
    /// The order list's totals by (basis, day, owner, status, currency),
    /// kept in each order's transaction (`orders::tallies`).
    order_tallies (basis, day, owner_id, status, currency) {
        basis -> Text,
        day -> Date,
        owner_id -> BigInt,
        status -> Text,
        currency -> Text,
        documents -> BigInt,
        total_minor -> BigInt,
    }
}

diesel::table! {
    doc_counters (kind, year) {
        kind -> Text,
        year -> Integer,
        next_value -> BigInt,
    }
}

diesel::table! {
    idempotency_keys (idem_key) {
        idem_key -> Text,
        user_id -> BigInt,
        purpose -> Text,
        result_id -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    inbound_mail (message_key) {
        message_key -> Text,
        message_id -> Text,
        from_addr -> Text,
        received_at -> Timestamp,
        outcome -> Text,
        ticket_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    work_calendars (id) {
        id -> BigInt,
        name -> Text,
        zone -> Text,
        working_days -> Text,
        day_start -> Text,
        day_end -> Text,
        created_at -> Timestamp,
        version -> Integer,
    }
}

diesel::table! {
    calendar_holidays (id) {
        id -> BigInt,
        calendar_id -> BigInt,
        day -> Date,
        name -> Text,
    }
}

diesel::table! {
    sla_policies (id) {
        id -> BigInt,
        name -> Text,
        calendar_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        version -> Integer,
    }
}

diesel::table! {
    sla_targets (id) {
        id -> BigInt,
        policy_id -> BigInt,
        priority -> Text,
        first_response_minutes -> Integer,
        resolution_minutes -> Integer,
    }
}

diesel::table! {
    ticket_queues (id) {
        id -> BigInt,
        name -> Text,
        default_priority -> Text,
        sla_policy_id -> Nullable<BigInt>,
        is_default -> Bool,
        auto_assign -> Bool,
        rr_last_user_id -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    queue_members (id) {
        id -> BigInt,
        queue_id -> BigInt,
        user_id -> BigInt,
    }
}

diesel::table! {
    /// A support ticket: the SLA clock is kept as minutes used plus the
    /// start of the running stretch; `sla_due` is the nearer running due.
    tickets (id) {
        id -> BigInt,
        subject -> Text,
        requester_id -> BigInt,
        queue_id -> BigInt,
        priority -> Text,
        status -> Text,
        assignee_id -> Nullable<BigInt>,
        version -> Integer,
        first_response_target -> Nullable<Integer>,
        resolution_target -> Nullable<Integer>,
        first_response_used -> Integer,
        resolution_used -> Integer,
        clock_started_at -> Nullable<Timestamp>,
        first_response_due -> Nullable<Timestamp>,
        resolution_due -> Nullable<Timestamp>,
        sla_due -> Nullable<Timestamp>,
        first_responded_at -> Nullable<Timestamp>,
        solved_at -> Nullable<Timestamp>,
        link_key -> Text,
        order_id -> Nullable<BigInt>,
        account_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        /// Generated by the database: `sla_due`, or the far future when
        /// the clock is paused or stopped (never written; never NULL, but
        /// generated columns are nullable to both backends).
        due_rank -> Nullable<Timestamp>,
        /// Generated: `due_rank` of a ticket Take next may hand out
        /// (unassigned, new or open), NULL otherwise (never written).
        take_rank -> Nullable<Timestamp>,
    }
}

diesel::table! {
    /// Insights' metric settings (one row, id 1).
    insight_settings (id) {
        id -> BigInt,
        discount_bp -> BigInt,
        horizon_years -> Integer,
        churn_days -> BigInt,
        margin_bp -> BigInt,
        growing_orders -> BigInt,
        loyal_orders -> BigInt,
        min_support -> BigInt,
        version -> BigInt,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    ticket_messages (id) {
        id -> BigInt,
        ticket_id -> BigInt,
        kind -> Text,
        author_id -> Nullable<BigInt>,
        author_contact_id -> Nullable<BigInt>,
        body -> Text,
        message_id -> Nullable<Text>,
        outbox_job_id -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    /// Per contact, what the insights job derived from the order history.
    customer_metrics (contact_id) {
        contact_id -> BigInt,
        stage -> Text,
        recency -> Integer,
        frequency -> Integer,
        monetary -> Integer,
        rfm -> Text,
        orders -> BigInt,
        revenue_minor -> BigInt,
        currency -> Text,
        computed_at -> Timestamp,
    }
}

diesel::table! {
    ticket_attachments (id) {
        id -> BigInt,
        ticket_id -> BigInt,
        message_id -> BigInt,
        filename -> Text,
        content_type -> Text,
        size_bytes -> BigInt,
        stored_name -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    canned_responses (id) {
        id -> BigInt,
        title -> Text,
        body -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
    }
}

diesel::table! {
    csat_ratings (id) {
        id -> BigInt,
        ticket_id -> BigInt,
        queue_id -> BigInt,
        agent_id -> Nullable<BigInt>,
        score -> Integer,
        comment -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    ticket_viewers (id) {
        id -> BigInt,
        ticket_id -> BigInt,
        user_id -> BigInt,
        replying -> Bool,
        seen_at -> Timestamp,
    }
}

diesel::table! {
    /// Products bought by the same customers, with how many (support).
    co_purchases (product_id, other_id) {
        product_id -> BigInt,
        other_id -> BigInt,
        support -> BigInt,
    }
}

diesel::joinable!(users -> teams (team_id));
diesel::joinable!(accounts -> users (owner_id));
diesel::joinable!(contacts -> users (owner_id));
diesel::joinable!(contacts -> accounts (account_id));
diesel::joinable!(activities -> contacts (contact_id));
diesel::joinable!(activities -> accounts (account_id));
diesel::joinable!(activities -> users (author_id));
diesel::joinable!(audit_log -> users (actor_id));
diesel::joinable!(record_tags -> tags (tag_id));
diesel::joinable!(record_tags -> contacts (contact_id));
diesel::joinable!(record_tags -> accounts (account_id));
diesel::joinable!(tasks -> users (assignee_id));
diesel::joinable!(tasks -> contacts (contact_id));
diesel::joinable!(tasks -> accounts (account_id));
diesel::joinable!(imports -> users (user_id));
diesel::joinable!(import_errors -> imports (import_id));
diesel::joinable!(saved_views -> users (user_id));
diesel::joinable!(mail_outbox -> jobs (job_id));
diesel::joinable!(duplicate_members -> contacts (contact_id));
diesel::joinable!(pipeline_stages -> pipelines (pipeline_id));
diesel::joinable!(deals -> users (owner_id));
diesel::joinable!(deals -> contacts (contact_id));
diesel::joinable!(deals -> accounts (account_id));
diesel::joinable!(deals -> pipelines (pipeline_id));
diesel::joinable!(deals -> pipeline_stages (stage_id));
diesel::joinable!(deals -> lost_reasons (lost_reason_id));
diesel::joinable!(deal_stage_changes -> deals (deal_id));
diesel::joinable!(deal_stage_changes -> users (user_id));
diesel::joinable!(activities -> deals (deal_id));
diesel::joinable!(tasks -> deals (deal_id));
diesel::joinable!(record_tags -> deals (deal_id));
diesel::joinable!(customer_metrics -> contacts (contact_id));
diesel::joinable!(orders -> users (owner_id));
diesel::joinable!(orders -> contacts (contact_id));
diesel::joinable!(orders -> accounts (account_id));
diesel::joinable!(order_lines -> orders (order_id));
diesel::joinable!(order_lines -> products (product_id));
diesel::joinable!(activities -> orders (order_id));
diesel::joinable!(tasks -> orders (order_id));
diesel::joinable!(record_tags -> orders (order_id));
diesel::joinable!(tickets -> contacts (requester_id));
diesel::joinable!(tickets -> ticket_queues (queue_id));
diesel::joinable!(tickets -> users (assignee_id));
diesel::joinable!(ticket_messages -> tickets (ticket_id));
diesel::joinable!(queue_members -> ticket_queues (queue_id));
diesel::joinable!(sla_targets -> sla_policies (policy_id));
diesel::joinable!(activities -> tickets (ticket_id));
diesel::joinable!(tasks -> tickets (ticket_id));
diesel::joinable!(record_tags -> tickets (ticket_id));

diesel::table! {
    login_failures (throttle_key, window_start) {
        throttle_key -> Text,
        window_start -> BigInt,
        failures -> Integer,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// A saved filter over contacts (`campaigns::segment::Filter` as JSON).
    segments (id) {
        id -> BigInt,
        name -> Text,
        filter -> Text,
        created_by -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// A marketing email and its sending state (`campaigns::domain::Status`).
    campaigns (id) {
        id -> BigInt,
        name -> Text,
        segment_id -> Nullable<BigInt>,
        from_name -> Text,
        from_addr -> Text,
        reply_to -> Nullable<Text>,
        subject -> Text,
        body_format -> Text,
        body -> Text,
        status -> Text,
        scheduled_at -> Nullable<Timestamp>,
        rate_per_sec -> Integer,
        concurrency -> Integer,
        recipients_total -> BigInt,
        version -> Integer,
        created_by -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        started_at -> Nullable<Timestamp>,
        finished_at -> Nullable<Timestamp>,
        track_opens -> Bool,
        track_clicks -> Bool,
        layout -> Text,
        in_archive -> Bool,
        /// The welcome series this campaign is a step of (`series`), if any.
        series_id -> Nullable<BigInt>,
        /// The step's place in its series (1, 2, …).
        step_no -> Nullable<Integer>,
        /// The step's wait after the previous step (after entry for step 1).
        delay_minutes -> Nullable<Integer>,
        /// `campaigns::domain::CampaignKind`: a plain email or an NPS survey.
        kind -> Text,
    }
}

diesel::table! {
    /// The per-recipient ledger of a campaign (UNIQUE campaign x contact):
    /// claimed with leases, recorded by the lease's owner.
    campaign_recipients (id) {
        id -> BigInt,
        campaign_id -> BigInt,
        contact_id -> BigInt,
        email -> Text,
        state -> Text,
        attempts -> Integer,
        lease_owner -> Nullable<Text>,
        lease_until -> Nullable<Timestamp>,
        sent_at -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        opened_at -> Nullable<Timestamp>,
        clicked_at -> Nullable<Timestamp>,
        /// Not claimable before this time (a series step's wait); NULL: at once.
        due_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    campaign_links (id) {
        id -> BigInt,
        campaign_id -> BigInt,
        url_hash -> Text,
        url -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    campaign_events (id) {
        id -> BigInt,
        campaign_id -> BigInt,
        recipient_id -> Nullable<BigInt>,
        link_id -> Nullable<BigInt>,
        kind -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    /// An NPS survey's answers: one per ledger row (UNIQUE recipient_id);
    /// a second click rewrites the score (`campaigns::nps`).
    nps_responses (id) {
        id -> BigInt,
        campaign_id -> BigInt,
        recipient_id -> BigInt,
        score -> Integer,
        comment -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(campaigns -> segments (segment_id));
diesel::joinable!(nps_responses -> campaigns (campaign_id));
diesel::joinable!(nps_responses -> campaign_recipients (recipient_id));
diesel::joinable!(campaign_recipients -> campaigns (campaign_id));
diesel::joinable!(campaign_recipients -> contacts (contact_id));
diesel::joinable!(campaign_links -> campaigns (campaign_id));
diesel::joinable!(campaign_events -> campaign_links (link_id));

diesel::allow_tables_to_appear_in_same_query!(
    order_tallies,
    insight_settings,
    customer_metrics,
    co_purchases,
    teams,
    roles,
    users,
    accounts,
    contacts,
    activities,
    tags,
    record_tags,
    tasks,
    imports,
    import_errors,
    audit_log,
    saved_views,
    search_terms,
    jobs,
    mail_outbox,
    duplicate_members,
    pipelines,
    pipeline_stages,
    lost_reasons,
    deals,
    deal_stage_changes,
    lead_score_models,
    products,
    orders,
    order_lines,
    doc_counters,
    idempotency_keys,
    segments,
    campaigns,
    campaign_recipients,
    campaign_links,
    campaign_events,
    nps_responses,
    inbound_mail,
    work_calendars,
    calendar_holidays,
    sla_policies,
    sla_targets,
    ticket_queues,
    queue_members,
    tickets,
    ticket_messages,
    ticket_attachments,
    canned_responses,
    csat_ratings,
    ticket_viewers,
);

// The per-request user lookup reads a user's role and settings beside the
// workspace's (`staff::repo::request_user`).
diesel::allow_tables_to_appear_in_same_query!(users, workspace_settings);
diesel::allow_tables_to_appear_in_same_query!(roles, workspace_settings);

diesel::table! {
    /// A public sign-up page `/s/<slug>` and what confirmed sign-ups join
    /// (`campaigns::signups`).
    signup_forms (id) {
        id -> BigInt,
        title -> Text,
        intro -> Text,
        slug -> Text,
        segment_id -> Nullable<BigInt>,
        tag -> Nullable<Text>,
        language -> Text,
        version -> Integer,
        created_by -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        active -> Bool,
    }
}

diesel::table! {
    /// A sign-up waiting for (or done with) its double opt-in
    /// (`campaigns::signups::domain::SignupState`).
    signups (id) {
        id -> BigInt,
        form_id -> BigInt,
        contact_id -> BigInt,
        state -> Text,
        created_at -> Timestamp,
        confirmed_at -> Nullable<Timestamp>,
    }
}

diesel::joinable!(signup_forms -> segments (segment_id));
diesel::joinable!(signups -> signup_forms (form_id));
diesel::joinable!(signups -> contacts (contact_id));
diesel::allow_tables_to_appear_in_same_query!(signup_forms, signups);
diesel::allow_tables_to_appear_in_same_query!(signup_forms, segments);
diesel::allow_tables_to_appear_in_same_query!(signup_forms, contacts);
diesel::allow_tables_to_appear_in_same_query!(signups, segments);
diesel::allow_tables_to_appear_in_same_query!(signups, contacts);

diesel::table! {
    /// A welcome series: N campaign steps with delays, triggered by a
    /// confirmed sign-up or by entering a segment
    /// (`campaigns::series::domain::{SeriesStatus, Trigger}`).
    series (id) {
        id -> BigInt,
        name -> Text,
        trigger_kind -> Text,
        signup_form_id -> Nullable<BigInt>,
        segment_id -> Nullable<BigInt>,
        from_name -> Text,
        from_addr -> Text,
        reply_to -> Nullable<Text>,
        status -> Text,
        activated_at -> Nullable<Timestamp>,
        version -> Integer,
        created_by -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// Who entered a series, when and why (UNIQUE series x contact).
    series_enrollments (id) {
        id -> BigInt,
        series_id -> BigInt,
        contact_id -> BigInt,
        source -> Text,
        enrolled_at -> Timestamp,
    }
}

diesel::joinable!(series_enrollments -> series (series_id));
diesel::joinable!(series_enrollments -> contacts (contact_id));
diesel::allow_tables_to_appear_in_same_query!(series, series_enrollments);
diesel::allow_tables_to_appear_in_same_query!(series, campaigns);
diesel::allow_tables_to_appear_in_same_query!(series, segments);
diesel::allow_tables_to_appear_in_same_query!(series, signup_forms);
diesel::allow_tables_to_appear_in_same_query!(series_enrollments, contacts);
diesel::allow_tables_to_appear_in_same_query!(series_enrollments, campaigns);
diesel::allow_tables_to_appear_in_same_query!(series_enrollments, campaign_recipients);

diesel::table! {
    /// A rep's or team's revenue target for a month (issue 12).
    sales_targets (id) {
        id -> BigInt,
        subject -> Text,
        user_id -> Nullable<BigInt>,
        team_id -> Nullable<BigInt>,
        month -> Date,
        currency -> Text,
        amount_minor -> BigInt,
        version -> BigInt,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// A commission plan from a month on: the workspace default or a rep's.
    commission_plans (id) {
        id -> BigInt,
        subject -> Text,
        user_id -> Nullable<BigInt>,
        currency -> Text,
        from_month -> Date,
        tiers -> Text,
        version -> BigInt,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(sales_targets -> users (user_id));
diesel::joinable!(commission_plans -> users (user_id));
diesel::allow_tables_to_appear_in_same_query!(sales_targets, users);
diesel::allow_tables_to_appear_in_same_query!(commission_plans, users);

diesel::table! {
    /// An address campaigns may come from, offered once verified (issue 11).
    campaign_senders (id) {
        id -> BigInt,
        name -> Text,
        email -> Text,
        verified_at -> Nullable<Timestamp>,
        mailed_at -> Timestamp,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::joinable!(campaign_senders -> users (created_by));
diesel::allow_tables_to_appear_in_same_query!(campaign_senders, users);
