DROP TABLE campaign_senders;
